import {
  connect,
  headers as natsHeaders,
  JSONCodec,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
  NatsError,
} from 'nats';
import type { Logger } from 'pino';
import {
  commands,
  Errors,
  EVENT_ROOT,
  events,
  eventSubject,
  ParleyError,
  parseEventSubject,
  toParameterError,
  type CommandInput,
  type CommandReply,
  type CommandRequest,
  type CommandSubject,
  type EventName,
  type EventPayload,
  type Reply,
  ACCOUNT_EVENT_ROOT,
  accountEvents,
  accountEventSubject,
  parseAccountEventSubject,
  type AccountEventName,
  type AccountEventPayload,
  PRESENCE_EVENT_ROOT,
  presenceEvents,
  presenceEventSubject,
  parsePresenceEventSubject,
  type PresenceEventName,
  type PresenceEventPayload,
} from '@parley/contracts';
import { storage, Store } from 'nestjs-pino/storage';
import { CORRELATION_HEADER, currentCorrelationId, newCorrelationId, withCorrelation } from './correlation';
import { ReplyInbox, type RequestFailure } from './reply-inbox';
import { isTransientDependencyError } from './transient-errors';
import { WriteTurn } from './write-turn';

export interface NatsTransportOptions {
  servers: string;
  /** Prepended to every subject (one token): isolates test runs and deployments sharing a server. */
  subjectPrefix?: string;
  /** Connection name shown by the NATS server, e.g. `message-service/<node id>`. */
  name: string;
  logger: Logger;
  requestTimeoutMs?: number;
}

export type CommandHandler<S extends CommandSubject> = (input: CommandInput<S>) => Promise<CommandReply<S>>;

export type EventHandler = <E extends EventName>(event: {
  name: E;
  serviceSid: string;
  payload: EventPayload<E>;
  correlationId: string;
}) => void | Promise<void>;

export type PresenceEventHandler = <E extends PresenceEventName>(event: {
  name: E;
  serviceSid: string;
  payload: PresenceEventPayload<E>;
  correlationId: string;
}) => void | Promise<void>;

/** Observes every request for metrics, without the transport knowing about a metrics library. */
export type RequestObserver = (subject: string, outcome: 'ok' | 'error' | 'timeout' | 'unavailable', seconds: number) => void;

const codec = JSONCodec<unknown>();
const NO_RESPONDER_RETRIES = 4;

/**
 * Typed request/reply and publish/subscribe over NATS. The subject decides the payload type;
 * every payload is validated against libs/contracts on receipt.
 */
export class NatsTransport {
  private nc: NatsConnection | null = null;
  /** The connection's requests and their replies (one subscription for all). */
  private inbox: ReplyInbox | null = null;
  private readonly subs: Subscription[] = [];
  private readonly prefix: string;
  private observer: RequestObserver | null = null;
  /** Handlers still running: drain waits for them so every accepted command gets its reply. */
  private readonly inFlight = new Set<Promise<void>>();
  private draining: Promise<void> | null = null;
  /** Outgoing messages (requests, replies, events) of one event-loop turn go out in one socket write. */
  private readonly turn: WriteTurn;

  constructor(private readonly options: NatsTransportOptions) {
    this.prefix = options.subjectPrefix ? `${options.subjectPrefix}.` : '';
    this.turn = new WriteTurn((err) => this.options.logger.error({ err }, 'nats message not sent'));
  }

  async connect(): Promise<void> {
    this.nc = await connect({
      servers: this.options.servers.split(',').map((s) => s.trim()),
      name: this.options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: false,
      // nats.js would build Errors (with stacks) ahead of time for timeouts that almost never happen (its own
      // request() and subscription timeouts; requests here go through ReplyInbox); such stacks were never read.
      noAsyncTraces: true,
    });
    this.inbox = new ReplyInbox(this.nc);
    void this.watchStatus(this.nc);
  }

  observeRequests(observer: RequestObserver): void {
    this.observer = observer;
  }

  get connected(): boolean {
    return this.nc !== null && !this.nc.isClosed() && !this.nc.isDraining() && this.nc.info !== undefined;
  }

  /** Round trip to the server: what readiness checks. */
  async ping(): Promise<void> {
    await this.connection().flush();
  }

  /** Sends a command and resolves with its data, or rejects with the ParleyError the handler answered. */
  async request<S extends CommandSubject>(
    subject: S,
    payload: CommandRequest<S>,
    opts: { timeoutMs?: number } = {},
  ): Promise<CommandReply<S>> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    const hdrs = natsHeaders();
    hdrs.set(CORRELATION_HEADER, currentCorrelationId() ?? newCorrelationId());
    const data = codec.encode(payload);
    const timeout = opts.timeoutMs ?? this.options.requestTimeoutMs ?? 10_000;

    for (let attempt = 0; ; attempt++) {
      let outcome: Msg | RequestFailure;
      let reply: Reply<unknown>;
      try {
        const inbox = this.replies();
        await this.turn.next();
        outcome = await inbox.request(this.prefix + subject, data, hdrs, timeout);
        if (outcome === 'no-responders' && attempt < NO_RESPONDER_RETRIES) {
          // Nobody got the message, so retrying cannot duplicate it: a replica may be restarting.
          await delay(100 * 2 ** attempt + Math.random() * 50);
          continue;
        }
        if (typeof outcome === 'string') throw this.failed(subject, outcome === 'timeout' ? 'timeout' : 'unavailable', seconds());
        reply = codec.decode(outcome.data) as Reply<unknown>;
      } catch (err) {
        // nats.js refused to send (connection closed or draining, payload over the server's limit), or the reply
        // is not JSON (its codec throws a NatsError too).
        if (err instanceof NatsError) throw this.failed(subject, 'unavailable', seconds());
        throw err;
      }
      if (reply && reply.ok === true) {
        const parsed = commands[subject].reply.safeParse(reply.data);
        if (!parsed.success) {
          this.options.logger.error({ subject, issues: parsed.error.issues }, 'invalid reply payload');
          throw Errors.internal();
        }
        this.observer?.(subject, 'ok', seconds());
        return parsed.data as CommandReply<S>;
      }
      if (reply && reply.ok === false && reply.error) {
        this.observer?.(subject, 'error', seconds());
        throw ParleyError.fromBody(reply.error);
      }
      throw Errors.internal();
    }
  }

  /** A request that got no reply: observed, and answered as the command's service being unavailable. */
  private failed(subject: string, outcome: 'timeout' | 'unavailable', seconds: number): ParleyError {
    this.observer?.(subject, outcome, seconds);
    return Errors.unavailable(subject.split('.').slice(0, 4).join('.'));
  }

  /** Serves a command in a queue group: exactly one replica of the group handles each request. */
  serve<S extends CommandSubject>(subject: S, queue: string, handler: CommandHandler<S>): void {
    const schema = commands[subject].request;
    const sub = this.connection().subscribe(this.prefix + subject, { queue });
    this.subs.push(sub);
    void (async () => {
      for await (const msg of sub) {
        const running = this.handle(msg, subject, (raw) => {
          // Postgres text cannot hold NUL: refused here, for every command, as the client's error (it was a 500).
          const nul = nulPath(raw);
          if (nul !== null) throw Errors.invalidParameter(nul, 'contains a NUL character');
          const parsed = schema.safeParse(raw);
          if (!parsed.success) throw toParameterError(parsed.error);
          return handler(parsed.data as CommandInput<S>);
        });
        this.inFlight.add(running);
        void running.finally(() => this.inFlight.delete(running));
      }
    })();
  }

  /** Publishes a domain event (call after the database commit). */
  publish<E extends EventName>(serviceSid: string, name: E, payload: EventPayload<E>): void {
    this.emit(eventSubject(serviceSid, name), payload);
  }

  /**
   * Subscribes to every domain event, or only to those named. With a queue group each event goes to one member of
   * the group; invalid payloads are logged with their subject and dropped.
   */
  subscribeEvents(queue: string | undefined, handler: EventHandler, names?: readonly EventName[]): void {
    const subjects = names ? names.map((name) => `${EVENT_ROOT}.*.${name}`) : [`${EVENT_ROOT}.>`];
    for (const subject of subjects) {
      this.consume(
        subject,
        queue,
        (s, raw) => {
          const parsedSubject = parseEventSubject(s);
          const parsed = parsedSubject ? events[parsedSubject.name].safeParse(raw) : null;
          return parsedSubject && parsed?.success ? { ...parsedSubject, payload: parsed.data } : null;
        },
        (event, correlationId) =>
          handler({ name: event.name, serviceSid: event.serviceSid, payload: event.payload as never, correlationId }),
      );
    }
  }

  /** Publishes an account-level event (`account.v1.evt.<AC>.<name>`), after the database commit. */
  publishAccountEvent<E extends AccountEventName>(accountSid: string, name: E, payload: AccountEventPayload<E>): void {
    this.emit(accountEventSubject(accountSid, name), payload);
  }

  /**
   * Subscribes to account-level events only, without a queue group: every subscriber (e.g. each api-gateway
   * replica, for its own cache) receives each event. Invalid payloads are logged with their subject and dropped.
   */
  subscribeAccountEvents(
    handler: <E extends AccountEventName>(event: { name: E; accountSid: string; payload: AccountEventPayload<E> }) => void,
  ): void {
    this.consume(
      `${ACCOUNT_EVENT_ROOT}.>`,
      undefined,
      (s, raw) => {
        const parsedSubject = parseAccountEventSubject(s);
        const parsed = parsedSubject ? accountEvents[parsedSubject.name].safeParse(raw) : null;
        return parsedSubject && parsed?.success ? { ...parsedSubject, payload: parsed.data } : null;
      },
      (event) => handler({ name: event.name, accountSid: event.accountSid, payload: event.payload as never }),
    );
  }

  /** Publishes a presence event (`presence.v1.evt.<IS>.<name>`): presence-service's reachability transitions. */
  publishPresenceEvent<E extends PresenceEventName>(serviceSid: string, name: E, payload: PresenceEventPayload<E>): void {
    this.emit(presenceEventSubject(serviceSid, name), payload);
  }

  /** Subscribes to presence events (in a queue group: one member handles each); invalid payloads are dropped. */
  subscribePresenceEvents(queue: string, handler: PresenceEventHandler): void {
    this.consume(
      `${PRESENCE_EVENT_ROOT}.>`,
      queue,
      (s, raw) => {
        const parsedSubject = parsePresenceEventSubject(s);
        const parsed = parsedSubject ? presenceEvents[parsedSubject.name].safeParse(raw) : null;
        return parsedSubject && parsed?.success ? { ...parsedSubject, payload: parsed.data } : null;
      },
      (event, correlationId) =>
        handler({ name: event.name, serviceSid: event.serviceSid, payload: event.payload as never, correlationId }),
    );
  }

  /** Publishes on `subject` (without the deployment prefix) with the current correlation id. */
  private emit(subject: string, payload: unknown): void {
    const hdrs = natsHeaders();
    hdrs.set(CORRELATION_HEADER, currentCorrelationId() ?? newCorrelationId());
    const nc = this.connection();
    const data = codec.encode(payload);
    this.turn.defer(() => {
      try {
        nc.publish(this.prefix + subject, data, { headers: hdrs });
      } catch (err) {
        // Sent after the caller returned (the turn's one write): a connection closing meanwhile is logged here.
        this.options.logger.error({ err, subject }, 'message not published');
      }
    });
  }

  /**
   * Reads the events of one subscription: `decode` validates subject and payload against the contracts (null drops
   * the message with a warning naming its subject); the handler runs with the event's correlation id, and an error it
   * throws is logged, never fatal to the subscription.
   */
  private consume<T>(
    subject: string,
    queue: string | undefined,
    decode: (subject: string, raw: unknown) => T | null,
    handler: (event: T, correlationId: string) => void | Promise<void>,
  ): void {
    const sub = this.connection().subscribe(this.prefix + subject, queue ? { queue } : {});
    this.subs.push(sub);
    void (async () => {
      for await (const msg of sub) {
        const correlationId = correlationOf(msg.headers);
        let raw: unknown;
        try {
          raw = codec.decode(msg.data);
        } catch {
          raw = undefined;
        }
        const event = decode(msg.subject.slice(this.prefix.length), raw);
        if (event === null) {
          this.options.logger.warn({ subject: msg.subject, correlationId }, 'dropped invalid event');
          continue;
        }
        try {
          await withCorrelation(correlationId, () => handler(event, correlationId));
        } catch (err) {
          this.options.logger.error({ err, subject: msg.subject, correlationId }, 'event handler failed');
        }
      }
    })();
  }

  /**
   * Stops taking new messages, waits for in-flight handlers to reply, flushes, then closes.
   * Concurrent and repeated calls share one drain.
   */
  drain(): Promise<void> {
    this.draining ??= this.drainOnce();
    return this.draining;
  }

  private async drainOnce(): Promise<void> {
    const nc = this.nc;
    if (!nc || nc.isClosed()) return;
    try {
      await Promise.all(this.subs.map((sub) => sub.drain().catch(() => undefined)));
      await Promise.allSettled([...this.inFlight]);
      // The last replies and events, before the connection flushes and closes.
      this.turn.flush();
      await nc.drain();
    } catch (err) {
      this.options.logger.warn({ err }, 'nats drain failed; closing');
      await nc.close();
    }
  }

  private async handle(msg: Msg, subject: string, run: (raw: unknown) => Promise<unknown>): Promise<void> {
    const correlationId = correlationOf(msg.headers);
    let reply: Reply<unknown>;
    try {
      const raw = codec.decode(msg.data);
      const data = await storage.run(this.requestStore(correlationId, subject), () => withCorrelation(correlationId, () => run(raw)));
      reply = { ok: true, data };
    } catch (err) {
      if (err instanceof ParleyError) {
        reply = { ok: false, error: err.toBody() };
      } else if (isTransientDependencyError(err)) {
        // A dependency down or restarting (e.g. Postgres): 503, which callers may retry, rather than a 500.
        this.options.logger.warn({ err, subject, correlationId }, 'command failed: a dependency is unavailable');
        reply = { ok: false, error: Errors.unavailable(subject.split('.').slice(0, 4).join('.')).toBody() };
      } else {
        this.options.logger.error({ err, subject, correlationId }, 'command handler failed');
        reply = { ok: false, error: Errors.internal().toBody() };
      }
    }
    if (msg.reply) {
      const data = codec.encode(reply);
      this.turn.defer(() => {
        try {
          msg.respond(data);
        } catch (err) {
          this.options.logger.error({ err, subject, correlationId }, 'reply not sent');
        }
      });
    }
  }

  /**
   * What loggers inside a handler (nestjs-pino's PinoLogger) log with: a child carrying the correlation id and the
   * subject, made on the handler's first log line only (most commands log nothing, and a pino child is not free).
   */
  private requestStore(correlationId: string, subject: string): Store {
    const root = this.options.logger;
    const store = new Store(root);
    let child: Logger | undefined;
    Object.defineProperty(store, 'logger', { get: () => (child ??= root.child({ correlationId, subject })) });
    return store;
  }

  private connection(): NatsConnection {
    if (!this.nc) throw new Error('NATS is not connected');
    return this.nc;
  }

  private replies(): ReplyInbox {
    if (!this.inbox) throw new Error('NATS is not connected');
    return this.inbox;
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
        this.options.logger.warn({ nats: status.type, data: String(status.data) }, 'nats connection status');
      }
      if (status.permissionContext?.operation === 'publish') this.inbox?.refusedPublish(status.permissionContext.subject);
    }
  }
}

function correlationOf(headers: MsgHdrs | undefined): string {
  return headers?.get(CORRELATION_HEADER) || newCorrelationId();
}

/** The name of the first string (or key) in a payload that contains U+0000, or null. */
function nulPath(value: unknown, name = 'payload', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? name : null;
  if (typeof value !== 'object' || value === null || depth > 32) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return 'parameter name';
    const found = nulPath(inner, key, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
