import { MessageSequencer, type Indexed } from './message-sequencer';

export interface MessageStreamDeps<T extends Indexed> {
  /** Authoritative read: up to `pageSize` messages with index ≥ from, ascending (`message.page` forward). */
  fetchFrom(from: number, pageSize: number): Promise<T[]>;
  /** Hands messages to the app (`messageAdded`), already in order, each once. */
  deliver(items: T[]): void;
  onError?(err: unknown): void;
  /** How long a gap may persist before it is filled by a fetch. */
  gapDelayMs?: number;
  /** Delay before retrying a failed fill. */
  retryDelayMs?: number;
  pageSize?: number;
}

export const GAP_DELAY_MS = 500;
export const FILL_PAGE_SIZE = 100;

/**
 * Drives a channel's MessageSequencer: feeds it events, fills a gap that persists longer than
 * `gapDelayMs` with `message.page` reads, and applies resume answers. Delivery always goes through
 * the sequencer, so a message arriving by event, by fill and by recovery is delivered once.
 *
 * Baseline: the channel's newest index when the subscription started (`null` = no messages; messages
 * at or before it are history, read with getMessages). `undefined` = unknown (the server did not say):
 * the first message to arrive then becomes the start.
 */
export class MessageStream<T extends Indexed> {
  private seq: MessageSequencer<T> | null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private filling = false;
  private recovering: { waitingMax: number | null; from: number } | null = null;
  private disposed = false;
  private readonly gapDelayMs: number;
  private readonly retryDelayMs: number;
  private readonly pageSize: number;

  constructor(
    baseline: number | null | undefined,
    private readonly deps: MessageStreamDeps<T>,
  ) {
    this.seq = baseline === undefined ? null : new MessageSequencer<T>(baseline);
    this.gapDelayMs = deps.gapDelayMs ?? GAP_DELAY_MS;
    this.retryDelayMs = deps.retryDelayMs ?? 4 * this.gapDelayMs;
    this.pageSize = deps.pageSize ?? FILL_PAGE_SIZE;
  }

  /** The index to resume after: `null` = from the start; `undefined` = unknown (nothing to resume). */
  get lastIndex(): number | null | undefined {
    return this.seq ? this.seq.lastIndex : undefined;
  }

  get hasGap(): boolean {
    return this.seq?.hasGap ?? false;
  }

  added(item: T): void {
    const seq = this.ensure(item.index);
    this.deliver(seq.add(item));
  }

  /** Returns whether the app already had the message (emit `messageUpdated`). */
  updated(item: T): boolean {
    if (!this.seq) return true;
    const { emitUpdate, deliver } = this.seq.update(item);
    this.deliver(deliver);
    return emitUpdate;
  }

  /** Returns whether the app already had the message (emit `messageRemoved`). */
  removed(index: number): boolean {
    if (!this.seq) return true;
    const { emitRemove, deliver } = this.seq.remove(index);
    this.deliver(deliver);
    return emitRemove;
  }

  /**
   * A resume is being sent: returns the index to resume after (undefined: skip this channel) and holds
   * gap fills until the answer arrives.
   */
  beginRecovery(): number | null | undefined {
    if (!this.seq) return undefined;
    this.recovering = { waitingMax: this.seq.waitingMax, from: this.seq.expected };
    this.cancelTimer();
    return this.seq.lastIndex;
  }

  /** `recovered: true`: `messages` are every message after the resumed index, when the server answered. */
  recovered(messages: T[]): void {
    const r = this.recovering;
    this.recovering = null;
    if (!this.seq || !r) return this.checkGap();
    const through = maxOf(maxIndex(messages), r.waitingMax);
    this.deliver(this.seq.fill(r.from, sortByIndex(messages), through));
  }

  /** `recovered: false`: too much was missed; continue after `lastIndex`, the app reloads pages. */
  rebase(lastIndex: number | null): void {
    this.recovering = null;
    if (!this.seq) this.seq = new MessageSequencer<T>(lastIndex);
    this.deliver(this.seq.rebase(lastIndex));
  }

  /** The resume failed (e.g. the connection dropped again): gaps are filled by fetching again. */
  abortRecovery(): void {
    this.recovering = null;
    this.checkGap();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
  }

  private ensure(firstIndex: number): MessageSequencer<T> {
    if (!this.seq) this.seq = new MessageSequencer<T>(firstIndex - 1 >= 0 ? firstIndex - 1 : null);
    return this.seq;
  }

  private deliver(items: T[]): void {
    if (items.length && !this.disposed) this.deps.deliver(items);
    this.checkGap();
  }

  private checkGap(): void {
    if (this.disposed) return;
    if (!this.seq?.hasGap) return this.cancelTimer();
    if (this.timer || this.filling || this.recovering) return;
    this.schedule(this.gapDelayMs);
  }

  private schedule(delay: number): void {
    this.cancelTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.fill();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async fill(): Promise<void> {
    const seq = this.seq;
    if (!seq || !seq.hasGap || this.disposed || this.recovering) return;
    this.filling = true;
    const from = seq.expected;
    const waitingMax = seq.waitingMax;
    let items: T[];
    try {
      items = sortByIndex(await this.deps.fetchFrom(from, this.pageSize));
    } catch (err) {
      this.filling = false;
      if (this.disposed) return;
      this.deps.onError?.(err);
      if (seq.hasGap && !this.recovering) this.schedule(this.retryDelayMs);
      return;
    }
    this.filling = false;
    if (this.disposed || this.seq !== seq) return;
    // A full page proves nothing beyond its last item; a shorter one holds everything that existed when
    // it was read, which includes every message already waiting here.
    const full = items.length >= this.pageSize;
    const through = full ? maxIndex(items) : maxOf(maxIndex(items), waitingMax);
    const delivered = seq.fill(from, items, through);
    if (delivered.length) this.deps.deliver(delivered);
    if (full && seq.hasGap && !this.recovering) return this.fill();
    this.checkGap();
  }
}

function maxIndex(items: readonly Indexed[]): number | null {
  let max: number | null = null;
  for (const item of items) if (max === null || item.index > max) max = item.index;
  return max;
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function sortByIndex<T extends Indexed>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.index - b.index);
}
