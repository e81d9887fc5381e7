import { Redis } from 'ioredis';
import { isolationPrefixes, REDIS_URL, waitFor } from '@parley/testing';
import { corkedPerTurn } from '../../../apps/realtime-gateway/src/socket/corked-per-turn';

/** The adapter's publishing connection, corked per event-loop turn, against the machine's real Redis. */
describe('corkedPerTurn (the gateway adapter publishing connection)', () => {
  const { redisKeyPrefix } = isolationPrefixes('corked');
  let pub: Redis;
  let sub: Redis;

  beforeAll(async () => {
    pub = corkedPerTurn(new Redis(REDIS_URL, { lazyConnect: true }));
    sub = new Redis(REDIS_URL, { lazyConnect: true });
    await Promise.all([pub.connect(), sub.connect()]);
  });

  afterAll(async () => {
    await pub?.del(`${redisKeyPrefix}list`);
    pub?.disconnect();
    sub?.disconnect();
  });

  it('holds the commands of one turn in the socket and writes them together when the turn ends, in order', async () => {
    const channel = `${redisKeyPrefix}room`;
    const heard: string[] = [];
    sub.on('smessage', (from: string, message: string) => {
      if (from === channel) heard.push(message);
    });
    await sub.ssubscribe(channel);

    const replies = Array.from({ length: 5 }, (_, i) => pub.spublish(channel, `m${i}`));
    // Still in the turn that issued them: nothing has left the process yet.
    expect(pub.stream.writableCorked).toBe(1);
    expect(pub.stream.writableLength).toBeGreaterThan(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pub.stream.writableCorked).toBe(0);
    expect(await Promise.all(replies)).toEqual([1, 1, 1, 1, 1]);
    await waitFor(() => heard.length === 5, { timeoutMs: 5000, description: 'the five messages' });
    expect(heard).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('answers every command of later turns too, each with its own reply', async () => {
    const key = `${redisKeyPrefix}list`;
    for (let turn = 0; turn < 3; turn++) {
      const lengths = await Promise.all([pub.rpush(key, `${turn}a`), pub.rpush(key, `${turn}b`)]);
      expect(lengths).toEqual([2 * turn + 1, 2 * turn + 2]);
    }
    expect(await pub.lrange(key, 0, -1)).toEqual(['0a', '0b', '1a', '1b', '2a', '2b']);
  });
});
