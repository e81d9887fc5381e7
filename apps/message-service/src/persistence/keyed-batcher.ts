/*
 * Batching by key, as message-service uses it for sends (group commit) and for permission reads of one channel.
 *
 * Group commit for sends. Sends to one channel are serialised by its row lock anyway, so while one write to a
 * channel is in flight, the sends that arrive for it wait here and then go together as ONE statement: one lock
 * hand-off, one commit and one WAL flush for all of them, and one round trip. An idle channel's first send is
 * written at once (after the current I/O callbacks, so sends that arrived together go together); nothing waits
 * on a timer, so a quiet channel sees no added latency and a busy one gets larger batches.
 */

export interface BatchLimits {
  /** Items per batch. */
  maxItems: number;
  /** Sum of the items' weights per batch (a bound on the statement's size); a heavier single item goes alone. */
  maxWeight: number;
}

interface Pending<T, R> {
  item: T;
  weight: number;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Writes `items` (all for one key) and answers one settled result per item, in order: an item can fail alone.
 * A rejection of the whole call fails every item of the batch.
 */
export type BatchRunner<T, R> = (key: string, items: T[]) => Promise<PromiseSettledResult<R>[]>;

export class KeyedBatcher<T, R> {
  /** A key is present while a drain for it is scheduled or running; its array is what waits. */
  private readonly queues = new Map<string, Pending<T, R>[]>();

  constructor(
    private readonly run: BatchRunner<T, R>,
    private readonly limits: BatchLimits,
    private readonly weigh: (item: T) => number = () => 1,
    private readonly schedule: (fn: () => void) => void = (fn) => setImmediate(fn),
  ) {}

  submit(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const pending = { item, weight: this.weigh(item), resolve, reject };
      const queue = this.queues.get(key);
      if (queue) {
        queue.push(pending);
        return;
      }
      this.queues.set(key, [pending]);
      this.schedule(() => void this.drain(key));
    });
  }

  /** Keys with a write in flight or waiting (for metrics and tests). */
  get activeKeys(): number {
    return this.queues.size;
  }

  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key);
    if (!queue) return;
    while (queue.length > 0) {
      const batch = takeBatch(queue, this.limits);
      try {
        const results = await this.run(
          key,
          batch.map((p) => p.item),
        );
        if (results.length !== batch.length) throw new Error(`batch of ${batch.length} answered ${results.length} results`);
        batch.forEach((p, i) => {
          const result = results[i] as PromiseSettledResult<R>;
          if (result.status === 'fulfilled') p.resolve(result.value);
          else p.reject(result.reason);
        });
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.queues.delete(key);
  }
}

/** Removes and returns the next batch from the front of `queue`: at least one item, within the limits. */
export function takeBatch<P extends { weight: number }>(queue: P[], limits: BatchLimits): P[] {
  let count = 0;
  let weight = 0;
  for (const p of queue) {
    if (count > 0 && (count >= limits.maxItems || weight + p.weight > limits.maxWeight)) break;
    count++;
    weight += p.weight;
  }
  return queue.splice(0, count);
}
