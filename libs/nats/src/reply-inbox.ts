import { createInbox, ErrorCode, type Msg, type MsgHdrs, type NatsConnection, NatsError, type Subscription } from 'nats';

/** Why a request has no reply: nobody answered in time, nobody serves the subject, or the inbox is gone. */
export type RequestFailure = 'timeout' | 'no-responders' | 'unavailable';

interface Pending {
  settle: (outcome: Msg | RequestFailure) => void;
  timer: NodeJS.Timeout;
  subject: string;
}

/**
 * Request/reply of one connection over one wildcard subscription (`_INBOX.<nuid>.*`): each request is published with
 * a reply subject of its own (`_INBOX.<nuid>.<n>`) and waits in a map, with one timer, for its reply.
 *
 * nats.js' `request()` does the same with more per request: a deferred, a timeout promise raced against it, and,
 * after every settled request, a `Cancelled` NatsError (an Error with a captured stack) built to reject the deferred
 * that had already settled. Outcomes are kept as they were: the reply; a timeout; no responders (the server answers a
 * request nobody serves with an empty message whose status header is 503, what nats.js' `isRequestError` checks);
 * and, when the connection closes, every pending request fails as a timeout, as nats.js' own inbox does.
 * A reply that arrives after its request timed out finds no entry and is dropped.
 *
 * The subscription is an ordinary one, so nats.js sends it again after a reconnect (requests in flight across the
 * reconnect still get their replies) and drains it with the connection.
 */
export class ReplyInbox {
  private readonly pending = new Map<string, Pending>();
  private sub: Subscription | null = null;
  private prefix = '';
  private sequence = 0;

  constructor(private readonly nc: NatsConnection) {
    void nc.closed().then(() => this.failAll('timeout'));
  }

  /**
   * Publishes a request and settles with its reply or the reason there is none. Errors of the publish itself (the
   * connection closed or draining, a payload too large) reject, as thrown by nats.js.
   */
  request(subject: string, data: Uint8Array, headers: MsgHdrs, timeoutMs: number): Promise<Msg | RequestFailure> {
    return new Promise((settle) => {
      // What nats.js' request() refuses before sending, with the same errors.
      if (this.nc.isDraining() && !this.nc.isClosed()) throw NatsError.errorForCode(ErrorCode.ConnectionDraining);
      timeoutMs ||= 1000;
      if (timeoutMs < 1) throw new NatsError('timeout', ErrorCode.InvalidOption);
      this.subscribe();
      const token = (this.sequence++).toString(36);
      const timer = setTimeout(this.expire, timeoutMs, token);
      this.pending.set(token, { settle, timer, subject });
      try {
        this.nc.publish(subject, data, { reply: this.prefix + token, headers });
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(token);
        throw err;
      }
    });
  }

  /**
   * The server refused to send `subject` (a publish permission violation): the oldest request to it fails, as nats.js
   * fails the request it finds by subject.
   */
  refusedPublish(subject: string): void {
    for (const [token, pending] of this.pending) {
      if (pending.subject === subject) {
        this.settle(token, pending, 'unavailable');
        return;
      }
    }
  }

  private subscribe(): void {
    if (this.sub) return;
    this.prefix = `${createInbox()}.`;
    this.sub = this.nc.subscribe(`${this.prefix}*`, { callback: this.dispatch });
  }

  /** Called by nats.js' parser for each reply: must not throw. */
  private readonly dispatch = (err: NatsError | null, msg: Msg): void => {
    if (err) {
      // The server refused the subscription (permissions): nothing can arrive on it; the next request makes another.
      this.sub = null;
      this.failAll('unavailable');
      return;
    }
    const token = msg.subject.slice(this.prefix.length);
    const pending = this.pending.get(token);
    if (!pending) return;
    this.settle(token, pending, msg.data.length === 0 && msg.headers?.code === 503 ? 'no-responders' : msg);
  };

  private readonly expire = (token: string): void => {
    const pending = this.pending.get(token);
    if (pending) this.settle(token, pending, 'timeout');
  };

  private settle(token: string, pending: Pending, outcome: Msg | RequestFailure): void {
    this.pending.delete(token);
    clearTimeout(pending.timer);
    pending.settle(outcome);
  }

  private failAll(reason: RequestFailure): void {
    for (const [token, pending] of this.pending) this.settle(token, pending, reason);
  }
}
