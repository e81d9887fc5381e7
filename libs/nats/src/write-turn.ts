/**
 * Gathers a process' outgoing NATS messages into one socket write per event-loop turn.
 *
 * nats.js writes its outbound buffer on the microtask after the first message is queued, and Node drains the
 * microtasks after every I/O callback: a busy service answering many commands (or a gateway sending many) makes one
 * write system call per message. On a loopback socket each write also wakes the NATS server, so the writes, not the
 * encoding, were the largest item of message-service's CPU profile (docs/benchmarks.md). Here a message is queued
 * and all that were queued during the current turn go out together from one `setImmediate` (the check phase, right
 * after the poll phase that delivered their causes), in the order they were queued. An idle process adds one
 * loop turn (microseconds); a busy one makes one write per turn instead of one per message.
 */
export class WriteTurn {
  private queued: (() => void)[] = [];
  private waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(
    private readonly onError: (err: unknown) => void,
    private readonly schedule: (fn: () => void) => void = (fn) => setImmediate(fn),
  ) {}

  /** Runs `send` (which queues a message on the connection) with the others of this turn. */
  defer(send: () => void): void {
    this.queued.push(send);
    this.arm();
  }

  /**
   * Resolves at the start of the next turn's batch. Whatever the awaiting callers queue on the connection right
   * after (e.g. a request) is written together: their continuations run one after the other in the same microtask
   * checkpoint, ahead of the connection's own flush.
   */
  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.arm();
    });
  }

  /** Sends what is queued now, synchronously (before a drain or close). */
  flush(): void {
    this.scheduled = false;
    const queued = this.queued;
    const waiting = this.waiting;
    this.queued = [];
    this.waiting = [];
    for (const send of queued) {
      try {
        send();
      } catch (err) {
        this.onError(err);
      }
    }
    for (const resolve of waiting) resolve();
  }

  private arm(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }
}
