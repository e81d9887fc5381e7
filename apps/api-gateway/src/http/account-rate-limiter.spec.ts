import { AccountRateLimiter } from './account-rate-limiter';

describe('AccountRateLimiter', () => {
  it('admits the rate plus a burst of twice the rate, then answers a Retry-After of at least one second', async () => {
    const limiter = new AccountRateLimiter(5);
    const decisions = [];
    for (let i = 0; i < 16; i++) decisions.push(await limiter.take('AC1'));
    // 5 from the 1 s window, 10 more from the 10 s burst window, then refused.
    expect(decisions.slice(0, 15).every((d) => d.allowed)).toBe(true);
    expect(decisions[15]).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('counts each account on its own', async () => {
    const limiter = new AccountRateLimiter(1);
    for (let i = 0; i < 3; i++) await limiter.take('AC1');
    expect(await limiter.take('AC1')).toMatchObject({ allowed: false });
    expect(await limiter.take('AC2')).toEqual({ allowed: true });
  });
});
