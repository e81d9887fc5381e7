import { Backoff, backoffCap, backoffDelay, DEFAULT_BACKOFF } from './backoff';

describe('backoff', () => {
  it.each([
    { attempt: 0, cap: 250 },
    { attempt: 1, cap: 500 },
    { attempt: 2, cap: 1000 },
    { attempt: 3, cap: 2000 },
    { attempt: 4, cap: 4000 },
    { attempt: 5, cap: 8000 },
    { attempt: 6, cap: 10_000 },
    { attempt: 7, cap: 10_000 },
    { attempt: 1000, cap: 10_000 },
    { attempt: -3, cap: 250 },
  ])('attempt $attempt is capped at $cap ms', ({ attempt, cap }) => {
    expect(backoffCap(attempt)).toBe(cap);
  });

  it.each([
    { random: 0, attempt: 3, delay: 0 },
    { random: 0.5, attempt: 3, delay: 1000 },
    { random: 0.999999, attempt: 3, delay: 1999 },
    { random: 1, attempt: 10, delay: 10_000 },
    { random: 7, attempt: 0, delay: 250 },
    { random: -1, attempt: 4, delay: 0 },
  ])('full jitter: random $random at attempt $attempt waits $delay ms', ({ random, attempt, delay }) => {
    expect(backoffDelay(attempt, DEFAULT_BACKOFF, () => random)).toBe(delay);
  });

  it('stays within [0, cap] for every attempt', () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      for (let i = 0; i < 20; i++) {
        const d = backoffDelay(attempt);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(backoffCap(attempt));
        expect(d).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs);
      }
    }
  });

  it('counts attempts and starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, factor: 3 }, () => 1);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([100, 300, 900, 1000]);
    expect(backoff.attempts).toBe(4);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});
