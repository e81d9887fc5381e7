import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { Channel } from './channel';
import { ChannelDescriptor } from './channel-descriptor';
import { Connection, type ConnectionState, type SocketFactory } from './connection';
import type { ClientContext, ClientEvents } from './context';
import { TypedEmitter } from './emitter';
import { SDKError, SDKErrorCode, TOKEN_EXPIRED_CODE } from './errors';
import { createLogger, type Logger, type LogLevel } from './logger';
import type { RetryPolicy } from './outbox';
import { tokenPaginator, type Paginator } from './paginator';
import type { Attributes } from './state';
import { User } from './user';
import type { ChannelWire, CommandName, CommandPayload, CommandReply, ServerEventName, ServerEvents, SessionWire } from './wire';

export const SDK_VERSION = '0.1.0';

export interface ClientOptions {
  /** The realtime gateway, e.g. `https://chat.example.com` (Socket.IO, websocket transport). */
  url: string;
  logLevel?: LogLevel;
  /** Socket.IO path on the server (default `/socket.io`). */
  path?: string;
  /** Ack timeout of one attempt of a command, ms (default 10 000); a call gives up after three times this. */
  commandTimeout?: number;
  /** `Client.create` rejects when no session arrived within this many ms (default 30 000). */
  initTimeout?: number;
  /** Reconnect backoff (default 250 ms doubling to 10 s, full jitter). */
  backoff?: Partial<BackoffOptions>;
  /** Replaces socket.io-client's `io()` (tests). */
  socketFactory?: SocketFactory;
}

export interface CreateChannelOptions {
  friendlyName?: string;
  uniqueName?: string;
  isPrivate?: boolean;
  attributes?: Attributes;
}

export interface PageOptions {
  pageSize?: number;
  pageToken?: string;
}

export type PushType = 'apn' | 'fcm' | 'gcm';
const PUSH_TYPES: readonly PushType[] = ['apn', 'fcm', 'gcm'];

const DEFAULT_TYPING_TIMEOUT_S = 5;
/** The protocol accepts at most this many channels per `resume`. */
const RESUME_BATCH = 1000;

interface SessionWaiter {
  resolve(): void;
  reject(error: SDKError): void;
}

/**
 * The Parley chat client; its surface mirrors Twilio's JS chat SDK. `Client.create(token, { url })`
 * connects, waits for the session (the user and their channels) and resolves; the client then keeps the
 * connection up (reconnecting with backoff and recovering missed messages) until `shutdown()`.
 */
export class Client extends TypedEmitter<ClientEvents> {
  static readonly version = SDK_VERSION;
  readonly version = SDK_VERSION;

  private readonly logger: Logger;
  private readonly connection: Connection;
  private readonly ctx: ClientContext;
  private readonly channels = new Map<string, Channel>();
  private readonly channelReads = new Map<string, Promise<Channel>>();
  private readonly users = new Map<string, User>();
  private readonly userReads = new Map<string, Promise<User>>();
  private selfUser: User | null = null;
  private identityValue: string | null = null;
  private reachability = false;
  private typingTimeoutS = DEFAULT_TYPING_TIMEOUT_S;
  private currentToken: string;
  private initState: 'pending' | 'initialized' | 'failed' = 'pending';
  private initTimer: ReturnType<typeof setTimeout> | null = null;
  private sessionWaiters: SessionWaiter[] = [];
  private readonly initialized: Promise<void>;

  /** Connects at once; listen for `stateChanged` ('initialized' | 'failed'), or use `Client.create`. */
  constructor(token: string, options: ClientOptions) {
    super();
    if (typeof token !== 'string' || !token) throw SDKError.invalidArgument('token must be a non-empty string');
    if (!options || typeof options.url !== 'string' || !options.url) throw SDKError.invalidArgument('options.url is required');
    this.currentToken = token;
    this.logger = createLogger(options.logLevel ?? 'warn');
    this.ctx = this.createContext();
    this.initialized = new Promise<void>((resolve, reject) => this.sessionWaiters.push({ resolve, reject }));
    // Callers using `new Client` observe stateChanged instead; the promise must not count as unhandled.
    this.initialized.catch(() => undefined);
    const commandTimeout = options.commandTimeout ?? 10_000;
    this.connection = new Connection({
      url: options.url,
      token,
      path: options.path,
      logger: this.logger,
      commandTimeout,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      socketFactory: options.socketFactory,
      handlers: {
        session: (session) => this.onSession(session),
        event: (name, payload) => this.onEvent(name, payload),
        stateChanged: (state) => this.emit('connectionStateChanged', state),
        dropped: () => this.onDropped(),
        denied: (error) => this.onDenied(error),
        transientError: (error) =>
          this.emit('connectionError', { terminal: false, message: error.message, httpStatusCode: error.status, errorCode: error.code }),
      },
    });
    this.initTimer = setTimeout(() => {
      if (this.initState !== 'pending') return;
      this.failInit(new SDKError(SDKErrorCode.Timeout, 'No session from the server in time', 408));
      this.connection.shutdown();
    }, options.initTimeout ?? 30_000);
    this.connection.start();
  }

  /** Connects and resolves once the session arrived; rejects with SDKError when the token is denied. */
  static async create(token: string, options: ClientOptions): Promise<Client> {
    const client = new Client(token, options);
    await client.initialized;
    return client;
  }

  // ---- state ----

  get user(): User {
    if (!this.selfUser) throw SDKError.notConnected('the client is not initialized yet');
    return this.selfUser;
  }

  get reachabilityEnabled(): boolean {
    if (this.initState !== 'initialized') throw SDKError.notConnected('the client is not initialized yet');
    return this.reachability;
  }

  get connectionState(): ConnectionState {
    return this.connection.state;
  }

  get token(): string {
    return this.currentToken;
  }

  // ---- session ----

  /**
   * Swaps the Access Token (same identity; the server checks). On a live connection it goes through
   * `token.update`; otherwise it is used by the next handshake, and a client stopped by an expired or
   * rejected token reconnects with it (resolving once the new session is up).
   */
  async updateToken(token: string): Promise<Client> {
    if (typeof token !== 'string' || !token) throw SDKError.invalidArgument('token must be a non-empty string');
    if (this.connection.terminalReason === 'shutdown') throw SDKError.notConnected('the client was shut down');
    if (this.connection.isReady) {
      await this.request('token.update', { token }, 'resend');
      this.currentToken = token;
      this.connection.setToken(token);
      return this;
    }
    this.currentToken = token;
    const waiting = this.waitForSession();
    if (this.connection.setToken(token)) await waiting;
    else waiting.catch(() => undefined);
    return this;
  }

  async shutdown(): Promise<void> {
    if (this.initTimer) clearTimeout(this.initTimer);
    this.initTimer = null;
    this.connection.shutdown();
    for (const channel of this.channels.values()) channel._dispose();
    this.channels.clear();
    this.rejectWaiters(SDKError.notConnected('the client was shut down'));
    if (this.initState === 'pending') this.initState = 'failed';
  }

  // ---- channels ----

  async createChannel(options: CreateChannelOptions = {}): Promise<Channel> {
    const { friendlyName, uniqueName, isPrivate, attributes } = options;
    if (attributes !== undefined && (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes))) {
      throw SDKError.invalidArgument('attributes must be an object');
    }
    const payload = {
      ...(friendlyName !== undefined ? { friendlyName } : {}),
      ...(uniqueName !== undefined && uniqueName !== null && uniqueName !== '' ? { uniqueName } : {}),
      ...(isPrivate !== undefined ? { isPrivate: Boolean(isPrivate) } : {}),
      ...(attributes !== undefined ? { attributes } : {}),
    };
    const wire = await this.request('channel.create', payload, 'once');
    return this.upsertChannel(wire, true, true);
  }

  getChannelBySid(sid: string): Promise<Channel> {
    if (typeof sid !== 'string' || !sid) return Promise.reject(SDKError.invalidArgument('sid must be a non-empty string'));
    const held = this.channels.get(sid);
    return held ? Promise.resolve(held) : this.readChannel(sid, false);
  }

  getChannelByUniqueName(uniqueName: string): Promise<Channel> {
    if (typeof uniqueName !== 'string' || !uniqueName) return Promise.reject(SDKError.invalidArgument('uniqueName must be a non-empty string'));
    for (const channel of this.channels.values()) if (channel.uniqueName === uniqueName) return Promise.resolve(channel);
    return this.readChannel(uniqueName, false);
  }

  /** Channels the user joined or is invited to, paged by the server. */
  getSubscribedChannels(args: PageOptions = {}): Promise<Paginator<Channel>> {
    return tokenPaginator(
      (pageToken) => this.request('channel.subscribed', pageParams(args.pageSize, pageToken), 'resend'),
      (wire) => this.upsertChannel(wire, true, false),
      args.pageToken,
    );
  }

  /** Public channels of the service (snapshots). */
  getPublicChannelDescriptors(args: PageOptions = {}): Promise<Paginator<ChannelDescriptor>> {
    return tokenPaginator(
      (pageToken) => this.request('channel.public-descriptors', pageParams(args.pageSize, pageToken), 'resend'),
      (wire) => new ChannelDescriptor(wire, (sid) => this.getChannelBySid(sid)),
      args.pageToken,
    );
  }

  /** Channels of the user (snapshots with their status and counts). */
  getUserChannelDescriptors(args: PageOptions = {}): Promise<Paginator<ChannelDescriptor>> {
    return tokenPaginator(
      (pageToken) => this.request('channel.user-descriptors', pageParams(args.pageSize, pageToken), 'resend'),
      (wire) => new ChannelDescriptor(wire, (sid) => this.getChannelBySid(sid)),
      args.pageToken,
    );
  }

  /** Channels this client currently holds, without asking the server. */
  getLocalChannels(): Channel[] {
    return [...this.channels.values()];
  }

  // ---- users ----

  /** A user, subscribed: it stays current (friendly name, attributes, reachability) until unsubscribed. */
  getUser(identity: string): Promise<User> {
    if (typeof identity !== 'string' || !identity) return Promise.reject(SDKError.invalidArgument('identity must be a non-empty string'));
    if (this.selfUser && identity === this.selfUser.identity) return Promise.resolve(this.selfUser);
    const held = this.users.get(identity);
    if (held) return Promise.resolve(held);
    const pending = this.userReads.get(identity);
    if (pending) return pending;
    const read = this.request('user.subscribe', { identity }, 'resend')
      .then((wire) => {
        const existing = this.users.get(identity);
        if (existing) {
          existing._apply(wire);
          return existing;
        }
        const user = new User(this.ctx, wire, true);
        this.users.set(identity, user);
        this.emit('userSubscribed', user);
        return user;
      })
      .finally(() => this.userReads.delete(identity));
    this.userReads.set(identity, read);
    return read;
  }

  /** The client's own user and every user subscribed with getUser(). */
  getSubscribedUsers(): Promise<User[]> {
    return Promise.resolve([...(this.selfUser ? [this.selfUser] : []), ...this.users.values()]);
  }

  // ---- push ----

  async setPushRegistrationId(type: PushType, token: string): Promise<void> {
    if (!PUSH_TYPES.includes(type)) throw SDKError.invalidArgument(`type must be one of ${PUSH_TYPES.join(', ')}`);
    if (typeof token !== 'string' || !token) throw SDKError.invalidArgument('token must be a non-empty string');
    await this.request('push.register', { type, token }, 'resend');
  }

  async unsetPushRegistrationId(type: PushType): Promise<void> {
    if (!PUSH_TYPES.includes(type)) throw SDKError.invalidArgument(`type must be one of ${PUSH_TYPES.join(', ')}`);
    await this.request('push.unregister', { type }, 'resend');
  }

  // ---- internals ----

  private request<C extends CommandName>(command: C, payload: CommandPayload<C>, policy: RetryPolicy): Promise<CommandReply<C>> {
    return this.connection.request(command, payload, policy);
  }

  private createContext(): ClientContext {
    return {
      logger: this.logger,
      request: (command, payload, policy) => this.request(command, payload, policy),
      emit: (event, ...args) => this.emit(event, ...args),
      identity: () => this.identityValue ?? '',
      connected: () => this.connection.isReady,
      reachabilityEnabled: () => this.reachability,
      typingTimeoutMs: () => this.typingTimeoutS * 1000,
      getUser: (identity) => this.getUser(identity),
      unsubscribeUser: (user) => this.unsubscribeUser(user),
      channelRemoved: (channel) => this.removeChannel(channel.sid),
      reportListenerError: (err, event) => this.reportListenerError(err, event),
    };
  }

  protected override reportListenerError(err: unknown, event: string): void {
    this.logger.error(`a listener of "${event}" threw:`, err);
  }

  private upsertChannel(wire: ChannelWire, read: boolean, announce: boolean): Channel {
    const held = this.channels.get(wire.sid);
    if (held) {
      held._apply(wire, read);
      return held;
    }
    const channel = new Channel(this.ctx, wire, read);
    this.channels.set(wire.sid, channel);
    if (announce) {
      this.emit('channelAdded', channel);
      if (channel.status === 'joined') this.emit('channelJoined', channel);
      else if (channel.status === 'invited') this.emit('channelInvited', channel);
    }
    return channel;
  }

  /** Reads a channel by sid or unique name; `announce` when an event made it visible. */
  private readChannel(key: string, announce: boolean): Promise<Channel> {
    const cacheKey = `${announce ? 'event' : 'app'}:${key}`;
    const pending = this.channelReads.get(cacheKey);
    if (pending) return pending;
    const read = this.request('channel.get', { channel: key }, 'resend')
      .then((wire) => this.upsertChannel(wire, true, announce))
      .finally(() => this.channelReads.delete(cacheKey));
    this.channelReads.set(cacheKey, read);
    return read;
  }

  private removeChannel(sid: string): void {
    const channel = this.channels.get(sid);
    if (!channel) return;
    this.channels.delete(sid);
    channel._removed();
    this.emit('channelRemoved', channel);
  }

  private async unsubscribeUser(user: User): Promise<void> {
    await this.request('user.unsubscribe', { identity: user.identity }, 'resend');
    if (this.users.get(user.identity) !== user) return;
    this.users.delete(user.identity);
    user._setSubscribed(false);
    this.emit('userUnsubscribed', user);
  }

  private onSession(session: SessionWire): void {
    const first = this.identityValue === null;
    if (!first && session.identity !== this.identityValue) {
      // A new token for another identity: this client's state belongs to the old one.
      const error = new SDKError(SDKErrorCode.Denied, `The session is for ${session.identity}, not ${this.identityValue}`, 401);
      this.logger.error(error.message);
      this.connection.shutdown();
      this.emit('connectionError', { terminal: true, message: error.message, httpStatusCode: 401, errorCode: error.code });
      this.rejectWaiters(error);
      return;
    }
    this.identityValue = session.identity;
    this.reachability = Boolean(session.reachabilityEnabled);
    this.typingTimeoutS = typingTimeoutOf(session);
    const userWire = session.user ?? { identity: session.identity };
    if (this.selfUser) this.selfUser._apply(userWire);
    else this.selfUser = new User(this.ctx, userWire, true);

    const listed = new Set<string>();
    for (const wire of session.channels ?? []) {
      listed.add(wire.sid);
      this.upsertChannel(wire, true, !first);
    }
    if (!first) {
      // Memberships that ended while disconnected (the session lists the channels the user is a member of).
      for (const channel of this.channels.values()) {
        if (!listed.has(channel.sid) && channel.status === 'joined') void channel._setMembership(null);
      }
      for (const user of this.users.values()) {
        this.request('user.subscribe', { identity: user.identity }, 'resend')
          .then((wire) => user._apply(wire))
          .catch((err: unknown) => this.logger.warn(`could not resubscribe to user ${user.identity}:`, err));
      }
      void this.resume();
    }
    if (this.initState !== 'initialized') {
      this.initState = 'initialized';
      if (this.initTimer) clearTimeout(this.initTimer);
      this.initTimer = null;
      this.emit('stateChanged', 'initialized');
    }
    const waiters = this.sessionWaiters;
    this.sessionWaiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  /**
   * Asks the server for what each subscribed channel missed while disconnected. Recovered messages go
   * through the channel's ordered delivery (nothing is emitted twice); channels the server cannot
   * replay restart after their newest message (see Channel._rebase).
   */
  private async resume(): Promise<void> {
    const entries: { channel: Channel; lastIndex: number | null }[] = [];
    for (const channel of this.channels.values()) {
      const lastIndex = channel._beginRecovery();
      if (lastIndex !== undefined) entries.push({ channel, lastIndex });
    }
    for (let at = 0; at < entries.length; at += RESUME_BATCH) {
      const batch = entries.slice(at, at + RESUME_BATCH);
      const answered = new Set<string>();
      try {
        const reply = await this.request('resume', { channels: batch.map((e) => ({ channel: e.channel.sid, lastIndex: e.lastIndex })) }, 'once');
        for (const item of Array.isArray(reply) ? reply : []) {
          const channel = this.channels.get(item.channel);
          if (!channel || answered.has(item.channel)) continue;
          answered.add(item.channel);
          if (item.recovered) channel._recovered(item.messages ?? []);
          else void channel._rebase(item.lastIndex);
        }
      } catch (err) {
        this.logger.warn('resume failed; missed messages will be fetched:', err);
      }
      for (const { channel } of batch) if (!answered.has(channel.sid)) channel._abortRecovery();
    }
  }

  private onDropped(): void {
    for (const channel of this.channels.values()) channel._connectionLost();
  }

  private onDenied(error: SDKError): void {
    this.emit('connectionError', { terminal: true, message: error.message, httpStatusCode: error.status, errorCode: error.code });
    if (error.code === TOKEN_EXPIRED_CODE) this.emit('tokenExpired');
    this.failInit(error);
    this.rejectWaiters(error);
  }

  private failInit(error: SDKError): void {
    if (this.initState !== 'pending') return;
    this.initState = 'failed';
    if (this.initTimer) clearTimeout(this.initTimer);
    this.initTimer = null;
    this.rejectWaiters(error);
    this.emit('stateChanged', 'failed');
  }

  private waitForSession(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.sessionWaiters.push({ resolve, reject }));
  }

  private rejectWaiters(error: SDKError): void {
    const waiters = this.sessionWaiters;
    this.sessionWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  private onEvent<E extends Exclude<ServerEventName, 'session'>>(name: E, payload: ServerEvents[E]): void {
    try {
      this.dispatch(name, payload);
    } catch (err) {
      this.logger.error(`could not apply ${name}:`, err);
    }
  }

  private dispatch<E extends Exclude<ServerEventName, 'session'>>(name: E, raw: ServerEvents[E]): void {
    if (!raw && name !== 'tokenExpired') return;
    const ev = { name, payload: raw } as { [K in Exclude<ServerEventName, 'session'>]: { name: K; payload: ServerEvents[K] } }[Exclude<ServerEventName, 'session'>];
    switch (ev.name) {
      case 'channelAdded':
        this.upsertChannel(ev.payload, false, true);
        return;
      case 'channelInvited': {
        const sid = channelSidOf(ev.payload);
        if (!sid) return;
        const held = this.channels.get(sid);
        if (held) {
          if (held.status !== 'joined') void held._setMembership({ status: 'invited', member_sid: null, last_consumed_message_index: null });
        } else this.readInBackground(sid);
        return;
      }
      case 'channelJoined': {
        const member = ev.payload;
        const held = this.channels.get(member.channel_sid);
        if (!held) return this.readInBackground(member.channel_sid);
        void held._setMembership({
          status: 'joined',
          member_sid: member.sid,
          last_consumed_message_index: member.last_consumed_message_index ?? null,
          notification_level: held.notificationLevel,
        });
        return;
      }
      case 'channelLeft':
        void this.channels.get(ev.payload.channel_sid)?._setMembership(null);
        return;
      case 'channelRemoved':
        this.removeChannel(ev.payload.sid);
        return;
      case 'channelUpdated':
        this.channels.get(ev.payload.sid)?._apply(ev.payload, false);
        return;
      case 'memberJoined':
        this.channels.get(ev.payload.channel_sid)?._memberJoined(ev.payload);
        return;
      case 'memberLeft':
        this.channels.get(ev.payload.channel_sid)?._memberLeft(ev.payload);
        return;
      case 'memberUpdated':
        this.channels.get(ev.payload.channel_sid)?._memberUpdated(ev.payload);
        return;
      case 'messageAdded':
        this.channels.get(ev.payload.channel_sid)?._messageAdded(ev.payload);
        return;
      case 'messageUpdated':
        this.channels.get(ev.payload.channel_sid)?._messageUpdated(ev.payload);
        return;
      case 'messageRemoved':
        this.channels.get(ev.payload.channel_sid)?._messageRemoved(ev.payload);
        return;
      case 'typingStarted':
        void this.channels.get(ev.payload.channel_sid)?._typingStarted(ev.payload.identity);
        return;
      case 'userUpdated': {
        const identity = ev.payload.identity;
        const user = this.selfUser?.identity === identity ? this.selfUser : this.users.get(identity);
        user?._apply(ev.payload);
        return;
      }
      case 'serviceUpdated': {
        const service = ev.payload;
        if (typeof service.reachability_enabled === 'boolean') this.reachability = service.reachability_enabled;
        if (isPositive(service.typing_indicator_timeout)) this.typingTimeoutS = service.typing_indicator_timeout;
        return;
      }
      case 'tokenAboutToExpire': {
        const { ttl, expiresAt } = ev.payload;
        const seconds = typeof ttl === 'number' ? ttl : typeof expiresAt === 'number' ? Math.max(0, Math.round(expiresAt - Date.now() / 1000)) : 0;
        this.emit('tokenAboutToExpire', seconds);
        return;
      }
      case 'tokenExpired':
        this.emit('tokenExpired');
        return;
      case 'serverShutdown':
        this.logger.info('the server is shutting down; reconnecting');
        return;
    }
  }

  /** A channel became visible through an event: read it, then announce it (channelAdded, channelJoined…). */
  private readInBackground(sid: string): void {
    this.readChannel(sid, true).catch((err: unknown) => this.logger.warn(`could not read channel ${sid}:`, err));
  }
}

function channelSidOf(payload: ServerEvents['channelInvited']): string | undefined {
  if ('channel_sid' in payload && typeof payload.channel_sid === 'string') return payload.channel_sid;
  if ('type' in payload && typeof payload.sid === 'string') return payload.sid;
  return undefined;
}

function typingTimeoutOf(session: SessionWire): number {
  if (isPositive(session.typingIndicatorTimeout)) return session.typingIndicatorTimeout;
  const fromService = session.service?.typing_indicator_timeout;
  return isPositive(fromService) ? fromService : DEFAULT_TYPING_TIMEOUT_S;
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function pageParams(pageSize: number | undefined, pageToken: string | undefined): { pageSize?: number; pageToken?: string } {
  return { ...(pageSize !== undefined ? { pageSize } : {}), ...(pageToken ? { pageToken } : {}) };
}
