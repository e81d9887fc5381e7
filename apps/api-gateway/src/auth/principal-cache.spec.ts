import type { Principal } from '@parley/contracts';
import { PrincipalCache } from './principal-cache';

const principal = (n: number): Principal => ({ accountSid: `AC${String(n).padStart(32, '0')}`, via: 'auth_token' });

function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let now = 1_000;
  const cache = new PrincipalCache({ ttlMs: options.ttlMs ?? 30_000, maxEntries: options.maxEntries ?? 100, now: () => now });
  const verify = jest.fn(async () => principal(1));
  return { cache, verify, advance: (ms: number) => (now += ms) };
}

describe('PrincipalCache', () => {
  it('verifies once per TTL', async () => {
    const { cache, verify, advance } = setup({ ttlMs: 30_000 });
    await expect(cache.resolve('Basic a', verify)).resolves.toEqual(principal(1));
    advance(29_999);
    await cache.resolve('Basic a', verify);
    expect(verify).toHaveBeenCalledTimes(1);
    advance(1);
    await cache.resolve('Basic a', verify);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('shares one verification between concurrent requests', async () => {
    const { cache, verify } = setup();
    await Promise.all([cache.resolve('Basic a', verify), cache.resolve('Basic a', verify), cache.resolve('Basic a', verify)]);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('keeps different credentials apart', async () => {
    const { cache } = setup();
    await cache.resolve('Basic a', async () => principal(1));
    await expect(cache.resolve('Basic b', async () => principal(2))).resolves.toEqual(principal(2));
    await expect(cache.resolve('Basic a', async () => principal(3))).resolves.toEqual(principal(1));
  });

  it('forgets a failure so the next request verifies again', async () => {
    const { cache, verify } = setup();
    await expect(cache.resolve('Basic a', () => Promise.reject(new Error('Authenticate')))).rejects.toThrow('Authenticate');
    await expect(cache.resolve('Basic a', verify)).resolves.toEqual(principal(1));
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('holds at most maxEntries, evicting the least recently used', async () => {
    const { cache, verify } = setup({ maxEntries: 2 });
    await cache.resolve('Basic a', verify);
    await cache.resolve('Basic b', verify);
    await cache.resolve('Basic a', verify); // a is now the most recent
    await cache.resolve('Basic c', verify); // evicts b
    expect(cache.size).toBe(2);
    expect(verify).toHaveBeenCalledTimes(3);
    await cache.resolve('Basic a', verify);
    expect(verify).toHaveBeenCalledTimes(3);
    await cache.resolve('Basic b', verify);
    expect(verify).toHaveBeenCalledTimes(4);
  });
});

describe('PrincipalCache.evictAccount', () => {
  const otherPrincipal: Principal = { accountSid: `AC${'f'.repeat(32)}`, via: 'api_key' };

  it("forgets that account's principals and keeps the others", async () => {
    const { cache } = setup();
    const mine = jest.fn(async () => principal(1));
    const theirs = jest.fn(async () => otherPrincipal);
    await cache.resolve('Basic key-of-1', mine);
    await cache.resolve('Basic token-of-1', mine);
    await cache.resolve('Basic other', theirs);

    expect(cache.evictAccount(principal(1).accountSid)).toBe(2);
    await cache.resolve('Basic key-of-1', mine);
    await cache.resolve('Basic other', theirs);
    expect(mine).toHaveBeenCalledTimes(3);
    expect(theirs).toHaveBeenCalledTimes(1);
  });

  it('does not keep a verdict that was still being verified when the credentials changed', async () => {
    const { cache } = setup();
    let answer!: (p: Principal) => void;
    const slow = () => new Promise<Principal>((resolve) => (answer = resolve));
    const pending = cache.resolve('Basic a', slow);
    cache.evictAccount(principal(1).accountSid);
    answer(principal(1));
    await expect(pending).resolves.toEqual(principal(1)); // the request in flight still gets its answer
    const verify = jest.fn(async () => principal(1));
    await cache.resolve('Basic a', verify);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('answers 0 when nothing of the account is cached', async () => {
    const { cache, verify } = setup();
    await cache.resolve('Basic a', verify);
    expect(cache.evictAccount(otherPrincipal.accountSid)).toBe(0);
    expect(cache.size).toBe(1);
  });
});
