/**
 * At most `limit` handshakes verified at a time, the others waiting in arrival order.
 *
 * When a replica dies, every one of its clients reconnects to the others within a fraction of a second. Sent all at
 * once, thousands of `session.open` requests share message-service's database pool, so every one of them finishes
 * late (the last step of each waits behind the first steps of all the others), some past the request timeout —
 * and a timed-out handshake is work thrown away, and a client back in its backoff. Admitted a few at a time, the
 * first clients are back at once and the throughput is the same. A waiting handshake whose client went away
 * meanwhile is skipped (`stillWanted`), so a client that gave up costs nothing.
 */
export class HandshakeGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private head = 0;

  constructor(private readonly limit: number) {}

  /** Handshakes waiting for a turn. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  /** Runs `work` in its turn; rejects with `gone()` without running it when `stillWanted()` is false by then. */
  async run<T>(work: () => Promise<T>, stillWanted: () => boolean, gone: () => Error): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      if (!stillWanted()) throw gone();
      return await work();
    } finally {
      this.release();
    }
  }

  /** Hands the finished turn to the next waiting handshake (the count of running ones stays), or frees it. */
  private release(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next();
      return;
    }
    this.waiting.length = 0;
    this.head = 0;
    this.running--;
  }
}
