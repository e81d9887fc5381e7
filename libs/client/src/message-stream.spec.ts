import { MessageStream } from './message-stream';

interface Msg {
  index: number;
}

/** A channel's authoritative history (what `message.page` reads) and a stream over it. */
function setup(baseline: number | null | undefined, history: number[], pageSize = 100) {
  const delivered: number[] = [];
  const fetches: { from: number; pageSize: number }[] = [];
  let failNext = 0;
  const stream = new MessageStream<Msg>(baseline, {
    fetchFrom: async (from, size) => {
      fetches.push({ from, pageSize: size });
      if (failNext > 0) {
        failNext--;
        throw new Error('offline');
      }
      return history.filter((i) => i >= from).slice(0, size).map((index) => ({ index }));
    },
    deliver: (items) => delivered.push(...items.map((m) => m.index)),
    onError: () => undefined,
    pageSize,
  });
  return { stream, delivered, fetches, failNextFetches: (n: number) => (failNext = n) };
}

async function advance(ms: number) {
  await jest.advanceTimersByTimeAsync(ms);
}

describe('MessageStream', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('delivers in order without fetching when the gap closes by itself', async () => {
    const { stream, delivered, fetches } = setup(4, [5, 6, 7]);
    stream.added({ index: 6 });
    await advance(300);
    stream.added({ index: 5 });
    await advance(1000);
    expect(delivered).toEqual([5, 6]);
    expect(fetches).toEqual([]);
  });

  it('fills a gap that persists for 500 ms with a forward read from the next expected index', async () => {
    const { stream, delivered, fetches } = setup(4, [5, 6, 7]);
    stream.added({ index: 7 });
    await advance(499);
    expect(fetches).toEqual([]);
    await advance(1);
    expect(fetches).toEqual([{ from: 5, pageSize: 100 }]);
    expect(delivered).toEqual([5, 6, 7]);
    expect(stream.hasGap).toBe(false);
  });

  it('moves past indexes that no longer exist (deleted messages)', async () => {
    const { stream, delivered } = setup(4, [6, 9]);
    stream.added({ index: 9 });
    await advance(500);
    expect(delivered).toEqual([6, 9]);
    expect(stream.lastIndex).toBe(9);
  });

  it('pages on while a full page leaves the gap open', async () => {
    const { stream, delivered, fetches } = setup(0, [1, 2, 3, 4, 5, 6, 7], 3);
    stream.added({ index: 7 });
    await advance(500);
    expect(fetches.map((f) => f.from)).toEqual([1, 4]);
    expect(delivered).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('a message arriving after the read was sent waits for its own turn', async () => {
    const { stream, delivered } = setup(4, [5, 6]);
    stream.added({ index: 6 });
    await advance(500);
    expect(delivered).toEqual([5, 6]);
    stream.added({ index: 8 });
    stream.added({ index: 7 });
    expect(delivered).toEqual([5, 6, 7, 8]);
  });

  it('retries a failed fill later', async () => {
    const { stream, delivered, fetches, failNextFetches } = setup(4, [5, 6]);
    failNextFetches(1);
    stream.added({ index: 6 });
    await advance(500);
    expect(delivered).toEqual([]);
    await advance(2000);
    expect(fetches).toHaveLength(2);
    expect(delivered).toEqual([5, 6]);
  });

  it('an unknown baseline starts at the first message', async () => {
    const { stream, delivered } = setup(undefined, []);
    expect(stream.lastIndex).toBeUndefined();
    stream.added({ index: 12 });
    stream.added({ index: 13 });
    expect(delivered).toEqual([12, 13]);
  });

  describe('recovery', () => {
    it('resumes after the last settled index and delivers the replay once, in order', async () => {
      const { stream, delivered, fetches } = setup(4, [5, 6, 7, 8]);
      stream.added({ index: 5 });
      stream.added({ index: 7 }); // received before the drop, gap at 6
      expect(stream.beginRecovery()).toBe(5);
      await advance(2000); // no gap fill while the resume is out
      expect(fetches).toEqual([]);
      stream.added({ index: 8 }); // live event on the new connection, before the answer
      stream.recovered([{ index: 6 }, { index: 7 }, { index: 8 }]);
      expect(delivered).toEqual([5, 6, 7, 8]);
      expect(stream.hasGap).toBe(false);
    });

    it('recovered: false restarts after the newest index; nothing missed is emitted', async () => {
      const { stream, delivered } = setup(4, []);
      stream.added({ index: 5 });
      stream.beginRecovery();
      stream.added({ index: 400 });
      stream.rebase(399);
      expect(delivered).toEqual([5, 400]);
      expect(stream.lastIndex).toBe(400);
    });

    it('an aborted recovery falls back to gap fills', async () => {
      const { stream, delivered } = setup(4, [5, 6]);
      stream.added({ index: 6 });
      stream.beginRecovery();
      stream.abortRecovery();
      await advance(500);
      expect(delivered).toEqual([5, 6]);
    });

    it('skips a channel whose start is unknown', () => {
      const { stream } = setup(undefined, []);
      expect(stream.beginRecovery()).toBeUndefined();
    });
  });

  it('stops filling once disposed', async () => {
    const { stream, fetches } = setup(4, [5, 6]);
    stream.added({ index: 6 });
    stream.dispose();
    await advance(5000);
    expect(fetches).toEqual([]);
  });
});
