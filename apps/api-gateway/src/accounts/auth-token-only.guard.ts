import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Errors } from '@parley/contracts';
import { principalOf } from '../auth/basic-auth.middleware';

/**
 * Twilio's rule for the Accounts and Keys resources: API keys created through the API are Standard keys,
 * which reach every resource except these two, so a leaked key cannot mint more keys or read auth tokens.
 * Only `AccountSid:AuthToken` passes; a key answers 401 20003, as Twilio does.
 */
@Injectable()
export class AuthTokenOnlyGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    if (principalOf(ctx.switchToHttp().getRequest<Request>()).via !== 'auth_token') throw Errors.authenticate();
    return true;
  }
}
