import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Errors, type Principal } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { parseBasicAuthorization } from './basic-credentials';
import { PrincipalCache } from './principal-cache';

const principals = new WeakMap<Request, Principal>();

/** The account a request was authenticated as; only requests that passed BasicAuthMiddleware have one. */
export function principalOf(req: Request): Principal {
  const principal = principals.get(req);
  if (!principal) throw Errors.authenticate();
  return principal;
}

/**
 * HTTP Basic on every REST route (`AccountSid:AuthToken` or `KeySid:KeySecret`), verified by
 * message-service over NATS and cached briefly. Runs before the body is read, so an anonymous client
 * cannot make us buffer one; it also runs for unknown routes, which therefore answer 401 before 404.
 */
@Injectable()
export class BasicAuthMiddleware implements NestMiddleware {
  constructor(
    private readonly nats: NatsTransport,
    private readonly cache: PrincipalCache,
  ) {}

  async use(req: Request, _res: Response, next: NextFunction): Promise<void> {
    const header = req.headers.authorization;
    const credentials = parseBasicAuthorization(header);
    if (!header || !credentials) throw Errors.authenticate();
    const principal = await this.cache.resolve(header, () =>
      this.nats.request('chat.v1.cmd.account.authenticate', credentials),
    );
    principals.set(req, principal);
    next();
  }
}
