/**
 * How a command may be retried when its ack does not come:
 * - `resend`: sending it again has the same effect (reads, and sends — they carry an idempotency key the
 *   server dedupes on). It survives disconnects and is sent again, with the very same payload, on the
 *   next connection, until a reply or its deadline.
 * - `once`: sent at most once. If the connection drops before the reply, the outcome is unknown and the
 *   call fails with ConnectionLost; the app decides.
 */
export type RetryPolicy = 'resend' | 'once';

export interface OutboxEntry<Handle = unknown> {
  readonly id: number;
  readonly command: string;
  /** Frozen at creation: every attempt sends this exact payload (same idempotency key). */
  readonly payload: unknown;
  readonly policy: RetryPolicy;
  /** Epoch ms after which the call fails with Timeout, sent or not. */
  readonly deadline: number;
  attempts: number;
  /** The connection the current attempt went out on; null while waiting to be (re)sent. */
  sentOn: number | null;
  /** The caller's bookkeeping (promise callbacks, timer). */
  handle: Handle;
}

/**
 * The commands between the call and its reply, as pure bookkeeping (no sockets, no timers): which to
 * send on a new connection and in what order, which survive a drop, which fail. The first ack of any
 * attempt settles an entry; later acks are ignored.
 */
export class Outbox<Handle = unknown> {
  private nextId = 1;
  private readonly entries = new Map<number, OutboxEntry<Handle>>();

  add(command: string, payload: unknown, policy: RetryPolicy, deadline: number, handle: Handle): OutboxEntry<Handle> {
    const entry: OutboxEntry<Handle> = { id: this.nextId++, command, payload, policy, deadline, attempts: 0, sentOn: null, handle };
    this.entries.set(entry.id, entry);
    return entry;
  }

  get(id: number): OutboxEntry<Handle> | undefined {
    return this.entries.get(id);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Entries waiting to go out, oldest first, now marked as sent on connection `epoch`. */
  takeSendable(epoch: number): OutboxEntry<Handle>[] {
    const out: OutboxEntry<Handle>[] = [];
    for (const entry of this.entries.values()) {
      if (entry.sentOn !== null) continue;
      entry.sentOn = epoch;
      entry.attempts++;
      out.push(entry);
    }
    return out;
  }

  /** A reply arrived: the entry if it was still open (then removed), else undefined (a late duplicate ack). */
  settle(id: number): OutboxEntry<Handle> | undefined {
    const entry = this.entries.get(id);
    if (entry) this.entries.delete(id);
    return entry;
  }

  /**
   * The connection dropped: `resend` entries in flight wait for the next connection; `once` entries in
   * flight are removed and returned (their callers get ConnectionLost). Entries not yet sent just wait.
   */
  connectionLost(): OutboxEntry<Handle>[] {
    const failed: OutboxEntry<Handle>[] = [];
    for (const entry of [...this.entries.values()]) {
      if (entry.sentOn === null) continue;
      if (entry.policy === 'resend') entry.sentOn = null;
      else {
        this.entries.delete(entry.id);
        failed.push(entry);
      }
    }
    return failed;
  }

  /**
   * The current attempt of `id` got no ack in time: `resend` entries before their deadline go back to
   * waiting ('resend'); others are removed ('fail'). 'ignore' when the entry is no longer open.
   */
  attemptTimedOut(id: number, now: number): 'resend' | 'fail' | 'ignore' {
    const entry = this.entries.get(id);
    if (!entry) return 'ignore';
    if (entry.policy === 'resend' && now < entry.deadline) {
      entry.sentOn = null;
      return 'resend';
    }
    this.entries.delete(id);
    return 'fail';
  }

  /** Removes and returns every open entry (shutdown, denial). */
  drain(): OutboxEntry<Handle>[] {
    const all = [...this.entries.values()];
    this.entries.clear();
    return all;
  }
}

/** A fresh idempotency key: 128 random bits as 32 hex characters (the protocol wants 8–64). */
export function newIdempotencyKey(random: (bytes: Uint8Array) => Uint8Array = fillRandom): string {
  const bytes = random(new Uint8Array(16));
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

function fillRandom(bytes: Uint8Array): Uint8Array {
  const webCrypto = (globalThis as { crypto?: { getRandomValues?: (b: Uint8Array) => Uint8Array } }).crypto;
  if (webCrypto?.getRandomValues) return webCrypto.getRandomValues(bytes);
  // Old runtimes without Web Crypto: not cryptographic, but a key only has to be unique per channel.
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}
