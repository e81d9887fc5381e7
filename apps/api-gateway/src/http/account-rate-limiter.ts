import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** What one request may do: go on, or wait `retryAfterSeconds` (the value of the Retry-After header). */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * REST requests per account, Twilio-style: `perSecond` sustained with bursts of up to twice that over 10 s.
 * In memory, per api-gateway replica (the gateway has no Redis by design): N replicas admit up to N times the
 * rate for one account, which is what a load balancer spreading one client over them would see anyway.
 * Memory is bounded by the accounts seen in the last 10 s (keys expire with their window).
 */
export class AccountRateLimiter {
  private readonly limiter: BurstyRateLimiter;

  constructor(readonly perSecond: number) {
    this.limiter = new BurstyRateLimiter(
      new RateLimiterMemory({ points: perSecond, duration: 1, keyPrefix: 'rest' }),
      new RateLimiterMemory({ points: perSecond * 2, duration: 10, keyPrefix: 'rest-burst' }),
    );
  }

  async take(accountSid: string): Promise<RateDecision> {
    try {
      await this.limiter.consume(accountSid);
      return { allowed: true };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
  }
}
