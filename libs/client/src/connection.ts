import { io } from 'socket.io-client';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { isDenial, SDKError } from './errors';
import type { Logger } from './logger';
import { Outbox, type OutboxEntry, type RetryPolicy } from './outbox';
import type { CommandName, CommandPayload, CommandReply, ReplyEnvelope, ServerEventName, ServerEvents, SessionWire } from './wire';

export type ConnectionState = 'connecting' | 'connected' | 'disconnecting' | 'disconnected' | 'denied';

/** The part of a socket.io-client Socket the SDK uses (tests may pass their own). */
export interface SocketLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  disconnect(): unknown;
  removeAllListeners(): unknown;
}

export interface SocketFactoryOptions {
  transports: string[];
  auth: { token: string };
  reconnection: false;
  forceNew: true;
  path?: string;
  timeout: number;
}
export type SocketFactory = (url: string, options: SocketFactoryOptions) => SocketLike;

const defaultSocketFactory: SocketFactory = (url, options) => io(url, options) as unknown as SocketLike;

/**
 * Server events forwarded to the client (`session` has its own path): a record, so the compiler names any event of
 * ServerEvents that is left out.
 */
const FORWARDED: Record<Exclude<ServerEventName, 'session'>, true> = {
  channelAdded: true,
  channelInvited: true,
  channelJoined: true,
  channelLeft: true,
  channelRemoved: true,
  channelUpdated: true,
  memberJoined: true,
  memberLeft: true,
  memberUpdated: true,
  messageAdded: true,
  messageUpdated: true,
  messageRemoved: true,
  typingStarted: true,
  userUpdated: true,
  serviceUpdated: true,
  tokenAboutToExpire: true,
  tokenExpired: true,
  serverShutdown: true,
};
const FORWARDED_EVENTS = Object.keys(FORWARDED) as Exclude<ServerEventName, 'session'>[];
const FORWARDED_SET: ReadonlySet<string> = new Set(FORWARDED_EVENTS);

/** socket.io-client's catch-all listener: one registration per socket instead of one per forwarded event. */
interface CatchAll {
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  offAny(): unknown;
}

function hasCatchAll(socket: SocketLike): socket is SocketLike & CatchAll {
  const s = socket as Partial<CatchAll>;
  return typeof s.onAny === 'function' && typeof s.offAny === 'function';
}

export interface ConnectionHandlers {
  /** A session arrived: the connection is usable (the first one, or after a reconnect). */
  session(session: SessionWire): void;
  event<E extends Exclude<ServerEventName, 'session'>>(name: E, payload: ServerEvents[E]): void;
  stateChanged(state: ConnectionState): void;
  /** The connection went away (it may come back). */
  dropped(): void;
  /** A terminal handshake rejection (token problems): no retry until a new token. */
  denied(error: SDKError): void;
  /** A connection attempt failed and will be retried. */
  transientError(error: SDKError): void;
}

export interface ConnectionOptions {
  url: string;
  token: string;
  path?: string;
  logger: Logger;
  handlers: ConnectionHandlers;
  /** Per-attempt ack timeout, ms; a call's overall deadline is three times this. */
  commandTimeout: number;
  backoff?: BackoffOptions;
  socketFactory?: SocketFactory;
  random?: () => number;
}

interface Handle {
  resolve(data: unknown): void;
  reject(error: SDKError): void;
  timer: ReturnType<typeof setTimeout> | null;
}

type Terminal = 'shutdown' | 'denied' | 'expired';

/** Mean pause before a command answered 503 goes out again. */
const UNAVAILABLE_RETRY_MS = 400;

function isUnavailable(reply: ReplyEnvelope<unknown>): reply is Extract<ReplyEnvelope<unknown>, { ok: false }> {
  return typeof reply === 'object' && reply !== null && reply.ok === false && reply.error?.status === 503;
}

/**
 * One logical connection to the realtime gateway over successive Socket.IO sockets: a fresh socket
 * per attempt, reconnects with jittered exponential backoff, never after a denial, a token expiry or
 * shutdown. Commands go through the Outbox: sent once a session is established, resent when safe.
 */
export class Connection {
  private socket: SocketLike | null = null;
  private epoch = 0;
  private ready = false;
  private terminal: Terminal | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private sessionTimer: ReturnType<typeof setTimeout> | null = null;
  private immediateReconnect = false;
  private currentState: ConnectionState = 'disconnected';
  private token: string;
  private readonly outbox = new Outbox<Handle>();
  private readonly backoff: Backoff;
  private readonly factory: SocketFactory;

  constructor(private readonly options: ConnectionOptions) {
    this.token = options.token;
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF, options.random);
    this.factory = options.socketFactory ?? defaultSocketFactory;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** A session is established: commands go out now. */
  get isReady(): boolean {
    return this.ready;
  }

  get terminalReason(): Terminal | null {
    return this.terminal;
  }

  start(): void {
    this.terminal = null;
    this.open();
  }

  request<C extends CommandName>(command: C, payload: CommandPayload<C>, policy: RetryPolicy): Promise<CommandReply<C>> {
    if (this.terminal) return Promise.reject(SDKError.notConnected(this.terminalMessage()));
    return new Promise<CommandReply<C>>((resolve, reject) => {
      const deadline = Date.now() + 3 * this.options.commandTimeout;
      const handle: Handle = { resolve: resolve as (data: unknown) => void, reject, timer: null };
      const entry = this.outbox.add(command, payload, policy, deadline, handle);
      // Sent at once when a session is up (flush arms its ack timer); otherwise it waits under its deadline.
      if (this.ready) this.flush();
      if (!handle.timer) this.arm(entry);
    });
  }

  /** Uses `token` for every later handshake; restarts a connection stopped by denial or expiry. */
  setToken(token: string): boolean {
    this.token = token;
    if (this.terminal === 'denied' || this.terminal === 'expired') {
      this.backoff.reset();
      this.start();
      return true;
    }
    return false;
  }

  shutdown(): void {
    if (this.terminal === 'shutdown') return;
    this.setState('disconnecting');
    this.stop('shutdown');
    this.failAll(SDKError.notConnected('the client was shut down'));
    this.setState('disconnected');
  }

  private open(): void {
    this.clearTimers();
    this.closeSocket();
    this.setState('connecting');
    const epoch = ++this.epoch;
    const socket = this.factory(this.options.url, {
      transports: ['websocket'],
      auth: { token: this.token },
      reconnection: false,
      forceNew: true,
      ...(this.options.path ? { path: this.options.path } : {}),
      timeout: this.options.commandTimeout,
    });
    this.socket = socket;
    const current = () => this.socket === socket && this.epoch === epoch;

    socket.on('connect', () => {
      if (!current()) return;
      // The server sends `session` right after the handshake; a socket that stays silent is replaced.
      this.sessionTimer = setTimeout(() => {
        if (!current() || this.ready) return;
        this.options.logger.warn('no session after connecting; reconnecting');
        this.drop();
      }, this.options.commandTimeout);
    });
    socket.on('connect_error', (err: Error & { data?: { code?: number; status?: number; message?: string } }) => {
      if (!current()) return;
      this.onConnectError(err);
    });
    socket.on('disconnect', (reason: string) => {
      if (!current()) return;
      this.options.logger.debug('disconnected:', reason);
      this.drop();
    });
    socket.on('session', (session: SessionWire) => {
      if (!current()) return;
      this.onSession(session);
    });
    const forward = (name: Exclude<ServerEventName, 'session'>, payload: ServerEvents[typeof name]) => {
      if (!current()) return;
      if (name === 'serverShutdown') this.immediateReconnect = true;
      this.options.handlers.event(name, payload);
      if (name === 'tokenExpired') this.expire();
    };
    // A socket is opened per attempt, so per-attempt work counts in a reconnect storm: one catch-all listener
    // where the socket has one (socket.io-client), else one listener per forwarded event.
    if (hasCatchAll(socket)) {
      socket.onAny((name: string, payload: unknown) => {
        if (FORWARDED_SET.has(name)) forward(name as Exclude<ServerEventName, 'session'>, payload as never);
      });
    } else {
      for (const name of FORWARDED_EVENTS) socket.on(name, (payload: ServerEvents[typeof name]) => forward(name, payload));
    }
  }

  private onSession(session: SessionWire): void {
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    this.sessionTimer = null;
    this.ready = true;
    this.backoff.reset();
    this.setState('connected');
    this.options.handlers.session(session);
    this.flush();
  }

  private onConnectError(err: Error & { data?: { code?: number; status?: number; message?: string } }): void {
    const data = err.data;
    this.closeSocket();
    if (isDenial(data)) {
      const error = SDKError.fromBody({ code: data?.code, status: data?.status ?? 401, message: data?.message ?? err.message });
      this.options.logger.warn('connection denied:', error.code, error.message);
      this.stop('denied');
      this.failAll(error);
      this.setState('denied');
      this.options.handlers.denied(error);
      return;
    }
    const error = data ? SDKError.fromBody({ ...data, message: data.message ?? err.message }) : new SDKError(20503, err.message || 'connection failed', 503);
    this.options.logger.info('connection attempt failed:', error.message);
    this.options.handlers.transientError(error);
    this.scheduleReconnect();
  }

  /** The server said the token expired (it disconnects next): stop until a new token. */
  private expire(): void {
    const wasReady = this.ready;
    this.stop('expired');
    this.failAll(SDKError.notConnected('the access token expired'));
    if (wasReady) this.options.handlers.dropped();
    this.setState('disconnected');
  }

  /** The socket is gone (server disconnect, network, silence): settle what was in flight, maybe reconnect. */
  private drop(): void {
    const wasReady = this.ready;
    this.ready = false;
    this.closeSocket();
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    this.sessionTimer = null;
    for (const entry of this.outbox.connectionLost()) this.fail(entry, SDKError.connectionLost(entry.command));
    if (wasReady) this.options.handlers.dropped();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.terminal) return;
    if (this.immediateReconnect) {
      // The replica is going away: every client reconnects now, spread over the first backoff step.
      this.immediateReconnect = false;
      this.backoff.reset();
    }
    const delay = this.backoff.next();
    this.setState('connecting');
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.terminal) this.open();
    }, delay);
  }

  private flush(): void {
    const socket = this.socket;
    if (!socket || !this.ready) return;
    const epoch = this.epoch;
    for (const entry of this.outbox.takeSendable(epoch)) {
      this.arm(entry);
      socket.emit(entry.command, entry.payload, (reply: ReplyEnvelope<unknown>) => this.onAck(entry.id, reply));
    }
  }

  private onAck(id: number, reply: ReplyEnvelope<unknown>): void {
    const open = this.outbox.get(id);
    if (open?.policy === 'resend' && isUnavailable(reply)) {
      // The server could not reach a dependency (503, e.g. its database restarting): the very same payload is safe
      // to send again (reads, and sends with their idempotency key), after a pause, until the call's deadline.
      if (open.handle.timer) clearTimeout(open.handle.timer);
      const outcome = this.outbox.attemptTimedOut(id, Date.now());
      if (outcome === 'resend') {
        this.arm(open);
        setTimeout(() => this.flush(), UNAVAILABLE_RETRY_MS / 2 + (this.options.random ?? Math.random)() * UNAVAILABLE_RETRY_MS);
        return;
      }
      if (outcome === 'fail') open.handle.reject(SDKError.fromBody(reply.ok === false ? reply.error : undefined));
      return;
    }
    const entry = this.outbox.settle(id);
    if (!entry) return;
    if (entry.handle.timer) clearTimeout(entry.handle.timer);
    if (reply && typeof reply === 'object' && reply.ok === true) entry.handle.resolve(reply.data);
    else entry.handle.reject(SDKError.fromBody(reply && typeof reply === 'object' && reply.ok === false ? reply.error : undefined));
  }

  /** One timer per call: the ack timeout while in flight, the overall deadline while waiting. */
  private arm(entry: OutboxEntry<Handle>): void {
    if (entry.handle.timer) clearTimeout(entry.handle.timer);
    const now = Date.now();
    const due = entry.sentOn !== null ? Math.min(now + this.options.commandTimeout, entry.deadline) : entry.deadline;
    entry.handle.timer = setTimeout(() => this.onTimer(entry.id), Math.max(0, due - now));
  }

  private onTimer(id: number): void {
    const entry = this.outbox.get(id);
    if (!entry) return;
    entry.handle.timer = null;
    const outcome = this.outbox.attemptTimedOut(id, Date.now());
    if (outcome === 'fail') return entry.handle.reject(SDKError.timeout(entry.command));
    if (outcome === 'resend') {
      this.options.logger.debug('no ack for', entry.command, '- sending again');
      this.arm(entry);
      this.flush();
    }
  }

  private fail(entry: OutboxEntry<Handle>, error: SDKError): void {
    if (entry.handle.timer) clearTimeout(entry.handle.timer);
    entry.handle.reject(error);
  }

  private failAll(error: SDKError): void {
    for (const entry of this.outbox.drain()) this.fail(entry, error);
  }

  private stop(reason: Terminal): void {
    this.terminal = reason;
    this.ready = false;
    this.clearTimers();
    this.closeSocket();
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    this.reconnectTimer = null;
    this.sessionTimer = null;
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.removeAllListeners();
    if (hasCatchAll(socket)) socket.offAny();
    socket.disconnect();
  }

  private setState(state: ConnectionState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.options.handlers.stateChanged(state);
  }

  private terminalMessage(): string {
    if (this.terminal === 'shutdown') return 'the client was shut down';
    if (this.terminal === 'expired') return 'the access token expired';
    return 'the access token was rejected';
  }
}
