import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Errors } from '@parley/contracts';
import { principalOf } from '../auth/basic-auth.middleware';
import { AccountRateLimiter } from './account-rate-limiter';

/**
 * Per-account REST rate limit (REST_RATE_LIMIT_PER_SECOND). Runs after Basic auth (the account is known) and
 * before the body is read: a throttled request costs no buffering and no NATS round trip. Answers 429 with
 * Twilio's 20429 and a Retry-After header (the error filter keeps headers already set).
 */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  constructor(private readonly limiter: AccountRateLimiter) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const decision = await this.limiter.take(principalOf(req).accountSid);
    if (!decision.allowed) {
      res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      throw Errors.tooManyRequests();
    }
    next();
  }
}
