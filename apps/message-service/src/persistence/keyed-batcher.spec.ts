import { KeyedBatcher, takeBatch, type BatchLimits } from './keyed-batcher';

/** A runner whose calls the test completes by hand, recording each batch. */
function manualRunner() {
  const calls: { key: string; items: string[]; finish: (fail?: Error) => void }[] = [];
  const run = (key: string, items: string[]) =>
    new Promise<PromiseSettledResult<string>[]>((resolve, reject) => {
      calls.push({
        key,
        items,
        finish: (fail) =>
          fail
            ? reject(fail)
            : resolve(items.map((item) => (item.startsWith('bad') ? { status: 'rejected', reason: new Error(item) } : { status: 'fulfilled', value: `${key}:${item}` }))),
      });
    });
  return { calls, run };
}

/** Runs scheduled drains when the test says so (instead of setImmediate). */
function manualSchedule() {
  const due: (() => void)[] = [];
  return { schedule: (fn: () => void) => due.push(fn), flush: () => due.splice(0).forEach((fn) => fn()) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const limits: BatchLimits = { maxItems: 3, maxWeight: 100 };

/** A batcher of unit-weight items over a manual runner, draining when the test flushes. */
function manualBatcher() {
  const { calls, run } = manualRunner();
  const { schedule, flush } = manualSchedule();
  return { calls, flush, batcher: new KeyedBatcher(run, limits, () => 1, schedule) };
}

describe('KeyedBatcher', () => {
  it('writes what arrived together as one batch, and what arrives meanwhile as the next', async () => {
    const { calls, flush, batcher } = manualBatcher();
    const a = batcher.submit('ch1', 'a');
    const b = batcher.submit('ch1', 'b');
    flush();
    expect(calls.map((c) => c.items)).toEqual([['a', 'b']]);
    const c = batcher.submit('ch1', 'c');
    const d = batcher.submit('ch1', 'd');
    flush();
    expect(calls).toHaveLength(1); // one write in flight per key
    calls[0]?.finish();
    await expect(Promise.all([a, b])).resolves.toEqual(['ch1:a', 'ch1:b']);
    await tick();
    expect(calls.map((x) => x.items)).toEqual([['a', 'b'], ['c', 'd']]);
    calls[1]?.finish();
    await expect(Promise.all([c, d])).resolves.toEqual(['ch1:c', 'ch1:d']);
    await tick();
    expect(batcher.activeKeys).toBe(0);
  });

  it('runs different keys side by side', async () => {
    const { calls, flush, batcher } = manualBatcher();
    const x = batcher.submit('ch1', 'x');
    const y = batcher.submit('ch2', 'y');
    flush();
    expect(calls.map((c) => [c.key, c.items])).toEqual([['ch1', ['x']], ['ch2', ['y']]]);
    calls.forEach((c) => c.finish());
    await expect(Promise.all([x, y])).resolves.toEqual(['ch1:x', 'ch2:y']);
  });

  it('splits a long queue by the limits, keeping arrival order', async () => {
    const { calls, flush, batcher } = manualBatcher();
    const all = ['1', '2', '3', '4', '5', '6', '7'].map((i) => batcher.submit('k', i));
    flush();
    for (let n = 0; n < 3; n++) {
      calls[n]?.finish();
      await tick();
    }
    await expect(Promise.all(all)).resolves.toEqual(['k:1', 'k:2', 'k:3', 'k:4', 'k:5', 'k:6', 'k:7']);
    expect(calls.map((c) => c.items)).toEqual([['1', '2', '3'], ['4', '5', '6'], ['7']]);
  });

  it('fails an item alone when its result is a rejection, and the whole batch when the call fails', async () => {
    const { calls, flush, batcher } = manualBatcher();
    const good = batcher.submit('k', 'good');
    const bad = batcher.submit('k', 'bad-one');
    flush();
    calls[0]?.finish();
    await expect(good).resolves.toBe('k:good');
    await expect(bad).rejects.toThrow('bad-one');

    const p = batcher.submit('k', 'p');
    const q = batcher.submit('k', 'q');
    flush();
    calls[1]?.finish(new Error('connection lost'));
    await expect(p).rejects.toThrow('connection lost');
    await expect(q).rejects.toThrow('connection lost');
    await tick();
    expect(batcher.activeKeys).toBe(0);
  });

  it('with the default schedule, batches sends submitted in the same turn of the event loop', async () => {
    const batches: number[] = [];
    const batcher = new KeyedBatcher<number, number>(
      async (_k, items) => {
        batches.push(items.length);
        return items.map((value) => ({ status: 'fulfilled', value }));
      },
      { maxItems: 100, maxWeight: 1000 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.submit('k', i)));
    expect(batches).toEqual([10]);
  });
});

describe('takeBatch', () => {
  const items = (...weights: number[]) => weights.map((weight, id) => ({ id, weight }));

  it.each<[string, number[], BatchLimits, number[]]>([
    ['all when within the limits', [1, 1, 1], { maxItems: 5, maxWeight: 10 }, [0, 1, 2]],
    ['up to maxItems', [1, 1, 1, 1], { maxItems: 2, maxWeight: 10 }, [0, 1]],
    ['up to maxWeight', [4, 4, 4], { maxItems: 5, maxWeight: 9 }, [0, 1]],
    ['one heavy item alone', [50, 1], { maxItems: 5, maxWeight: 9 }, [0]],
  ])('takes %s', (_, weights, lim, expected) => {
    const queue = items(...weights);
    expect(takeBatch(queue, lim).map((p) => p.id)).toEqual(expected);
    expect(queue.map((p) => p.id)).toEqual(weights.map((_, i) => i).slice(expected.length));
  });
});
