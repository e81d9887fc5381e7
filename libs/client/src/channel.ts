import type { ClientContext } from './context';
import { TypedEmitter } from './emitter';
import { SDKError } from './errors';
import { Member } from './member';
import { Message } from './message';
import { MessageStream } from './message-stream';
import { newIdempotencyKey } from './outbox';
import { indexPaginator, MAX_MESSAGE_PAGE_SIZE, type PageDirection, type Paginator } from './paginator';
import {
  blankMemberState,
  blankMessageState,
  channelStateFrom,
  channelUpdateReasons,
  memberStateFrom,
  memberUpdateReasons,
  membershipState,
  messageStateFrom,
  messageUpdateReasons,
  sameValue,
  type Attributes,
  type ChannelState,
  type ChannelStatus,
  type ChannelType,
  type ChannelUpdateReason,
  type LastMessage,
  type MemberUpdateReason,
  type MessageUpdateReason,
  type NotificationLevel,
} from './state';
import { TypingThrottle } from './typing-throttle';
import type { ChannelWire, CommandPayload, CommandReply, ConsumptionWire, MemberWire, MembershipWire, MessageWire } from './wire';

export interface ChannelEvents {
  memberJoined: [member: Member];
  memberLeft: [member: Member];
  memberUpdated: [data: { member: Member; updateReasons: MemberUpdateReason[] }];
  messageAdded: [message: Message];
  messageUpdated: [data: { message: Message; updateReasons: MessageUpdateReason[] }];
  messageRemoved: [message: Message];
  typingStarted: [member: Member];
  typingEnded: [member: Member];
  updated: [data: { channel: Channel; updateReasons: ChannelUpdateReason[] }];
  removed: [channel: Channel];
}

/** Messages a channel keeps as objects (so `updated` reaches the instance the app holds); oldest go first. */
const MESSAGE_CACHE_LIMIT = 1000;

type ConsumptionCommand = 'consumption.update' | 'consumption.advance' | 'consumption.all' | 'consumption.none';

/**
 * A chat channel. While the client is joined, the channel delivers `messageAdded` strictly in index
 * order, each message once (see MessageStream), keeps its members current and tracks typing.
 */
export class Channel extends TypedEmitter<ChannelEvents> {
  readonly sid: string;
  private state: ChannelState;
  private stream: MessageStream<MessageWire> | null = null;
  private subscribing: Promise<void> | null = null;
  private readonly messages = new Map<string, Message>();
  private readonly members = new Map<string, Member>();
  /** `members` by identity (the first with it), built on demand and dropped whenever `members` changes. */
  private byIdentity: Map<string, Member> | null = null;
  private membersComplete = false;
  private membersLoad: Promise<Member[]> | null = null;
  /** Member changes seen while a member list is being read (the read may predate them). */
  private memberChangesDuringLoad: Map<string, 'joined' | 'left'> | null = null;
  private readonly typingThrottle = new TypingThrottle();
  private gone = false;

  /** @internal */
  constructor(
    private readonly ctx: ClientContext,
    wire: ChannelWire,
    read: boolean,
  ) {
    super();
    this.sid = wire.sid;
    this.state = channelStateFrom(read ? wire : { ...wire, membership: undefined });
    if (this.state.status === 'joined') this.startStream(wire);
  }

  get uniqueName(): string | null {
    return this.state.uniqueName;
  }

  get friendlyName(): string | null {
    return this.state.friendlyName;
  }

  get attributes(): Attributes {
    return this.state.attributes;
  }

  get createdBy(): string | null {
    return this.state.createdBy;
  }

  get dateCreated(): Date | null {
    return this.state.dateCreated;
  }

  get dateUpdated(): Date | null {
    return this.state.dateUpdated;
  }

  get type(): ChannelType {
    return this.state.type;
  }

  get isPrivate(): boolean {
    return this.state.type === 'private';
  }

  get status(): ChannelStatus {
    return this.state.status;
  }

  get lastConsumedMessageIndex(): number | null {
    return this.state.lastConsumedMessageIndex;
  }

  get lastMessage(): LastMessage {
    return this.state.lastMessage;
  }

  get notificationLevel(): NotificationLevel {
    return this.state.notificationLevel;
  }

  getAttributes(): Promise<Attributes> {
    return Promise.resolve(this.state.attributes);
  }

  // ---- membership ----

  /** Joins the channel; resolves once its messages are subscribed. */
  async join(): Promise<Channel> {
    const member = await this.ctx.request('channel.join', { channel: this.sid }, 'once');
    await this._setMembership({
      status: 'joined',
      member_sid: member?.sid ?? this.state.memberSid,
      last_consumed_message_index: member ? member.last_consumed_message_index : this.state.lastConsumedMessageIndex,
      notification_level: this.state.notificationLevel,
    });
    return this;
  }

  async leave(): Promise<Channel> {
    await this.ctx.request('channel.leave', { channel: this.sid }, 'once');
    await this._setMembership(null);
    return this;
  }

  /** Declines an invitation to the channel. */
  async decline(): Promise<Channel> {
    await this.ctx.request('channel.decline', { channel: this.sid }, 'once');
    await this._setMembership(null);
    return this;
  }

  async delete(): Promise<Channel> {
    await this.ctx.request('channel.delete', { channel: this.sid }, 'once');
    this.ctx.channelRemoved(this);
    return this;
  }

  async add(identity: string): Promise<void> {
    await this.ctx.request('channel.add', { channel: this.sid, identity: requireIdentity(identity) }, 'once');
  }

  async invite(identity: string): Promise<void> {
    await this.ctx.request('channel.invite', { channel: this.sid, identity: requireIdentity(identity) }, 'once');
  }

  async removeMember(identityOrMember: string | Member): Promise<void> {
    const identity = typeof identityOrMember === 'string' ? identityOrMember : identityOrMember?.identity;
    await this.ctx.request('channel.remove-member', { channel: this.sid, identity: requireIdentity(identity) }, 'once');
  }

  // ---- messages ----

  /**
   * Sends a message; resolves with its index. The send carries an idempotency key: if the reply is
   * lost (disconnect, timeout) the very same send goes out again after reconnecting, and the server
   * answers with the original message instead of storing a duplicate.
   */
  async sendMessage(body: string, attributes?: Attributes): Promise<number> {
    if (typeof body !== 'string') throw SDKError.invalidArgument('body must be a string (media messages are not supported)');
    if (attributes !== undefined && (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes))) {
      throw SDKError.invalidArgument('attributes must be an object');
    }
    const payload = {
      channel: this.sid,
      body,
      idempotencyKey: newIdempotencyKey(),
      ...(attributes !== undefined ? { attributes } : {}),
    };
    const message = await this.ctx.request('message.send', payload, 'resend');
    this.typingThrottle.reset();
    return message.index;
  }

  /**
   * A page of messages, ascending by index. `anchor` (inclusive) is the newest index of a backwards
   * page or the oldest of a forward one; without it, the newest (backwards) or oldest (forward)
   * messages. `prevPage()` pages to older messages, `nextPage()` to newer ones.
   */
  getMessages(pageSize = 30, anchor?: number, direction: PageDirection = 'backwards'): Promise<Paginator<Message>> {
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_MESSAGE_PAGE_SIZE) {
      return Promise.reject(SDKError.invalidArgument(`pageSize must be an integer from 1 to ${MAX_MESSAGE_PAGE_SIZE}`));
    }
    if (anchor !== undefined && anchor !== null && (!Number.isInteger(anchor) || anchor < 0)) {
      return Promise.reject(SDKError.invalidArgument('anchor must be a message index'));
    }
    if (direction !== 'backwards' && direction !== 'forward') {
      return Promise.reject(SDKError.invalidArgument('direction must be "backwards" or "forward"'));
    }
    return indexPaginator<MessageWire, Message>(
      async (query) =>
        pageItems(
          await this.ctx.request(
            'message.page',
            { channel: this.sid, pageSize: query.pageSize, direction: query.direction, ...(query.anchor !== undefined ? { anchor: query.anchor } : {}) },
            'resend',
          ),
        ),
      (wire) => this.upsertMessage(wire),
      { pageSize, anchor: anchor ?? undefined, direction },
    );
  }

  getMessagesCount(): Promise<number> {
    return this.refresh().then(() => this.state.messagesCount ?? 0);
  }

  /**
   * Signals that the user is typing; call it on every keystroke (it is throttled). While disconnected
   * the signal is dropped: a late one would show typing that is over.
   */
  async typing(): Promise<void> {
    if (!this.ctx.connected()) return;
    if (!this.typingThrottle.shouldSend(Date.now(), this.ctx.typingTimeoutMs())) return;
    await this.ctx.request('typing', { channel: this.sid }, 'once');
  }

  // ---- consumption horizon ----

  updateLastConsumedMessageIndex(index: number | null): Promise<number> {
    if (index !== null && !isIndex(index)) return Promise.reject(SDKError.invalidArgument('index must be a message index or null'));
    return this.consume('consumption.update', { channel: this.sid, index }, () => index);
  }

  /** Moves the horizon forward only (the server keeps the larger index). */
  advanceLastConsumedMessageIndex(index: number): Promise<number> {
    if (!isIndex(index)) return Promise.reject(SDKError.invalidArgument('index must be a message index'));
    return this.consume('consumption.advance', { channel: this.sid, index }, (current) => Math.max(current ?? -1, index));
  }

  setAllMessagesConsumed(): Promise<number> {
    return this.consume('consumption.all', { channel: this.sid }, (current) => this.state.lastMessage.index ?? current);
  }

  setNoMessagesConsumed(): Promise<number> {
    return this.consume('consumption.none', { channel: this.sid }, () => null);
  }

  /** The user's unread count as the server computes it (null when it has no consumption horizon). */
  async getUnconsumedMessagesCount(): Promise<number | null> {
    const wire = await this.refresh();
    return wire.membership?.unread_messages_count ?? null;
  }

  // ---- members ----

  /** The members; while joined they are kept current from events, so only the first call reads them. */
  getMembers(): Promise<Member[]> {
    if (this.membersComplete && this.state.status === 'joined') return Promise.resolve([...this.members.values()]);
    if (!this.membersLoad) {
      this.membersLoad = this.loadMembers().finally(() => {
        this.membersLoad = null;
      });
    }
    return this.membersLoad;
  }

  async getMemberByIdentity(identity: string): Promise<Member> {
    const member = (await this.getMembers()).find((m) => m.identity === identity);
    if (!member) throw new SDKError(50402, `Member with identity ${identity} not found`, 404);
    return member;
  }

  async getMemberBySid(sid: string): Promise<Member> {
    const member = (await this.getMembers()).find((m) => m.sid === sid);
    if (!member) throw new SDKError(50402, `Member ${sid} not found`, 404);
    return member;
  }

  getMembersCount(): Promise<number> {
    return this.refresh().then(() => this.state.membersCount ?? 0);
  }

  // ---- channel fields ----

  updateFriendlyName(friendlyName: string): Promise<Channel> {
    return this.update({ friendlyName });
  }

  updateUniqueName(uniqueName: string | null): Promise<Channel> {
    return this.update({ uniqueName: uniqueName === '' ? null : uniqueName });
  }

  updateAttributes(attributes: Attributes): Promise<Channel> {
    if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
      return Promise.reject(SDKError.invalidArgument('attributes must be an object'));
    }
    return this.update({ attributes });
  }

  private async update(changes: { friendlyName?: string; uniqueName?: string | null; attributes?: Attributes }): Promise<Channel> {
    const wire = await this.ctx.request('channel.update', { channel: this.sid, ...changes }, 'resend');
    this._apply(wire, false);
    return this;
  }

  /** Reads the channel (with the user's membership) and applies it. */
  private async refresh(): Promise<ChannelWire> {
    const wire = await this.ctx.request('channel.get', { channel: this.sid }, 'resend');
    if (!this.gone) this._apply(wire, true);
    return wire;
  }

  /**
   * Moves the consumption horizon; resolves with the unread count of the server's reply. The new
   * horizon is the reply's, or `expected(current)` when the reply does not state it.
   */
  private async consume<C extends ConsumptionCommand>(
    command: C,
    payload: CommandPayload<C>,
    expected: (current: number | null) => number | null,
  ): Promise<number> {
    const reply = await this.ctx.request(command, payload, 'resend');
    const { last, unread } = consumptionOf(reply);
    const next = last !== undefined ? last : expected(this.state.lastConsumedMessageIndex);
    this.changeState({ ...this.state, lastConsumedMessageIndex: next });
    return unread ?? 0;
  }

  // ---- internal: applying server state ----

  /**
   * @internal A channel resource. `read`: it came from a read for this user (session, channel.get,
   * lists, create), so its membership and last_message are current and may start the subscription.
   */
  _apply(wire: ChannelWire, read: boolean): void {
    const prev = this.state;
    let next = channelStateFrom(read ? wire : { ...wire, membership: undefined }, prev);
    // While subscribed, lastMessage follows delivered messages, so it never runs ahead of messageAdded.
    if (this.stream) next = { ...next, lastMessage: prev.lastMessage };
    this.changeState(next);
    if (read && next.status === 'joined' && !this.stream && !this.gone) this.startStream(wire);
  }

  /**
   * @internal The user's membership changed (join/leave replies, channelJoined/channelLeft events).
   * Joining without a fresh read re-reads the channel first: the read tells where delivery starts.
   */
  _setMembership(m: MembershipWire | null): Promise<void> {
    this.changeState({ ...this.state, ...membershipState(m) });
    if (this.state.status === 'joined' && !this.stream) return this.subscribe();
    return Promise.resolve();
  }

  private subscribe(): Promise<void> {
    if (!this.subscribing) {
      this.subscribing = this.refresh()
        .then(() => undefined)
        .catch((err: unknown) => this.ctx.logger.warn(`could not subscribe to channel ${this.sid}:`, err))
        .finally(() => {
          this.subscribing = null;
        });
    }
    return this.subscribing;
  }

  private startStream(wire: ChannelWire): void {
    const baseline = wire.last_message === undefined ? undefined : wire.last_message === null ? null : wire.last_message.index;
    this.stream = new MessageStream<MessageWire>(baseline, {
      fetchFrom: async (from, pageSize) =>
        pageItems(await this.ctx.request('message.page', { channel: this.sid, anchor: from, direction: 'forward', pageSize }, 'resend')),
      deliver: (items) => this.deliverMessages(items),
      onError: (err) => this.ctx.logger.warn(`filling a message gap in ${this.sid} failed:`, err),
    });
  }

  private stopStream(): void {
    this.stream?.dispose();
    this.stream = null;
    this.membersComplete = false;
    for (const member of this.members.values()) member._dispose();
  }

  private changeState(next: ChannelState): void {
    const prev = this.state;
    this.state = next;
    if (prev.status === 'joined' && next.status !== 'joined') this.stopStream();
    if (next.status !== prev.status) {
      if (next.status === 'joined') this.ctx.emit('channelJoined', this);
      else if (next.status === 'invited') this.ctx.emit('channelInvited', this);
      if (prev.status === 'joined') this.ctx.emit('channelLeft', this);
    }
    const updateReasons = channelUpdateReasons(prev, next);
    if (updateReasons.length) this.emitUpdated(updateReasons);
  }

  private emitUpdated(updateReasons: ChannelUpdateReason[]): void {
    this.emit('updated', { channel: this, updateReasons });
    this.ctx.emit('channelUpdated', { channel: this, updateReasons });
  }

  /** @internal The client shut down: stop timers, no events. */
  _dispose(): void {
    this.gone = true;
    this.stopStream();
  }

  /** @internal The channel was deleted or is no longer visible. */
  _removed(): void {
    if (this.gone) return;
    this.gone = true;
    this.stopStream();
    this.emit('removed', this);
  }

  // ---- internal: messages ----

  /** @internal */
  _messageAdded(wire: MessageWire): void {
    this.stream?.added(wire);
  }

  /** @internal `own`: the reply to this client's own edit (applied whether or not subscribed). */
  _messageUpdated(wire: MessageWire, own = false): void {
    if (!own && !(this.stream && this.stream.updated(wire))) return;
    const cached = this.messages.get(wire.sid);
    let message: Message;
    let updateReasons: MessageUpdateReason[];
    if (cached) {
      message = cached;
      updateReasons = cached._apply(wire);
    } else {
      message = this.upsertMessage(wire);
      updateReasons = messageUpdateReasons(blankMessageState(wire.index), messageStateFrom(wire));
    }
    if (!updateReasons.length) return;
    this.emit('messageUpdated', { message, updateReasons });
    this.ctx.emit('messageUpdated', { message, updateReasons });
  }

  /** @internal */
  _messageRemoved(wire: MessageWire): void {
    if (!this.stream || !this.stream.removed(wire.index)) return;
    const message = this.messages.get(wire.sid) ?? new Message(this.ctx, this, wire);
    this.messages.delete(wire.sid);
    this.emit('messageRemoved', message);
    this.ctx.emit('messageRemoved', message);
  }

  private deliverMessages(items: MessageWire[]): void {
    for (const wire of items) {
      const message = this.upsertMessage(wire);
      const author = wire.from ? this.memberByIdentity(wire.from) : undefined;
      if (author) this._memberStoppedTyping(author);
      this.emit('messageAdded', message);
      this.ctx.emit('messageAdded', message);
    }
    const newest = items[items.length - 1];
    if (newest) this.setLastMessage(lastMessageOf(newest));
  }

  /** changeState for a new lastMessage alone (every delivery): only that field can differ, so only it is compared. */
  private setLastMessage(lastMessage: LastMessage): void {
    const prev = this.state;
    this.state = { ...prev, lastMessage };
    if (!sameValue(prev.lastMessage, lastMessage)) this.emitUpdated(['lastMessage']);
  }

  private upsertMessage(wire: MessageWire): Message {
    const cached = this.messages.get(wire.sid);
    if (cached) {
      cached._refresh(wire);
      return cached;
    }
    const message = new Message(this.ctx, this, wire);
    this.messages.set(wire.sid, message);
    if (this.messages.size > MESSAGE_CACHE_LIMIT) {
      const oldest = this.messages.keys().next();
      if (!oldest.done) this.messages.delete(oldest.value);
    }
    return message;
  }

  // ---- internal: recovery after a reconnect ----

  /** @internal The index to resume after (undefined: nothing to resume). */
  _beginRecovery(): number | null | undefined {
    return this.stream?.beginRecovery();
  }

  /** @internal */
  _recovered(messages: MessageWire[]): void {
    this.stream?.recovered(messages);
  }

  /** @internal */
  _abortRecovery(): void {
    this.stream?.abortRecovery();
  }

  /**
   * @internal Recovery was impossible (more was missed than the server replays). Delivery restarts
   * after the newest message; the missed ones are not emitted — the app reloads them with getMessages().
   * The channel emits `updated` with reason `lastMessage`, which is the app's cue to reload.
   */
  async _rebase(lastIndex: number | null | undefined): Promise<void> {
    if (!this.stream) return;
    let last = lastIndex;
    let newest: MessageWire | undefined;
    if (last === undefined) {
      try {
        const page = pageItems(await this.ctx.request('message.page', { channel: this.sid, pageSize: 1, direction: 'backwards' }, 'resend'));
        newest = page[page.length - 1];
        last = newest ? newest.index : null;
      } catch (err) {
        this.ctx.logger.warn(`could not reload channel ${this.sid} after a long disconnect:`, err);
        this.stream?.abortRecovery();
        return;
      }
    }
    const stream = this.stream;
    if (!stream) return;
    this.changeState({ ...this.state, lastMessage: newest ? lastMessageOf(newest) : last === null ? {} : { index: last } });
    stream.rebase(last);
  }

  /** @internal The connection dropped: member events may be missed until the next read. */
  _connectionLost(): void {
    this.membersComplete = false;
  }

  // ---- internal: members and typing ----

  /** @internal */
  _memberJoined(wire: MemberWire): void {
    if (this.state.status !== 'joined') return;
    this.memberChangesDuringLoad?.set(wire.sid, 'joined');
    this.byIdentity = null;
    let member = this.members.get(wire.sid);
    if (member) member._apply(wire, false);
    else {
      member = new Member(this.ctx, this, wire);
      this.members.set(wire.sid, member);
    }
    this.emit('memberJoined', member);
    this.ctx.emit('memberJoined', member);
  }

  /** @internal */
  _memberLeft(wire: MemberWire): void {
    if (this.state.status !== 'joined' && wire.identity !== this.ctx.identity()) return;
    this.memberChangesDuringLoad?.set(wire.sid, 'left');
    const member = this.members.get(wire.sid) ?? new Member(this.ctx, this, wire);
    this.members.delete(wire.sid);
    this.byIdentity = null;
    this._memberStoppedTyping(member);
    this.emit('memberLeft', member);
    this.ctx.emit('memberLeft', member);
  }

  /** @internal */
  _memberUpdated(wire: MemberWire): void {
    if (wire.identity === this.ctx.identity() && this.state.status === 'joined') {
      this.changeState({ ...this.state, lastConsumedMessageIndex: wire.last_consumed_message_index ?? null });
    }
    if (this.state.status !== 'joined') return;
    this.byIdentity = null;
    const cached = this.members.get(wire.sid);
    let member: Member;
    let updateReasons: MemberUpdateReason[];
    if (cached) {
      member = cached;
      updateReasons = cached._apply(wire);
    } else {
      member = new Member(this.ctx, this, wire);
      this.members.set(wire.sid, member);
      updateReasons = memberUpdateReasons(blankMemberState(wire.identity), memberStateFrom(wire));
    }
    if (!updateReasons.length) return;
    this.emit('memberUpdated', { member, updateReasons });
    this.ctx.emit('memberUpdated', { member, updateReasons });
  }

  /** @internal A member started typing (ends by itself after the service's typing timeout). */
  async _typingStarted(identity: string): Promise<void> {
    if (identity === this.ctx.identity() || this.state.status !== 'joined') return;
    let member = this.memberByIdentity(identity);
    if (!member && !this.membersComplete) {
      try {
        await this.getMembers();
      } catch {
        return;
      }
      member = this.memberByIdentity(identity);
    }
    if (!member || this.state.status !== 'joined') return;
    if (member._startTyping(this.ctx.typingTimeoutMs())) {
      this.emit('typingStarted', member);
      this.ctx.emit('typingStarted', member);
    }
  }

  /** @internal */
  _memberStoppedTyping(member: Member): void {
    if (!member._endTyping()) return;
    this.emit('typingEnded', member);
    this.ctx.emit('typingEnded', member);
  }

  /** @internal */
  _memberSidOf(identity: string | null): string | undefined {
    if (!identity) return undefined;
    return this.memberByIdentity(identity)?.sid ?? (identity === this.ctx.identity() ? (this.state.memberSid ?? undefined) : undefined);
  }

  private memberByIdentity(identity: string): Member | undefined {
    let index = this.byIdentity;
    if (index === null) {
      index = new Map();
      for (const member of this.members.values()) if (!index.has(member.identity)) index.set(member.identity, member);
      this.byIdentity = index;
    }
    return index.get(identity);
  }

  private async loadMembers(): Promise<Member[]> {
    const changes = new Map<string, 'joined' | 'left'>();
    this.memberChangesDuringLoad = changes;
    let list: MemberWire[];
    try {
      const reply = await this.ctx.request('channel.members', { channel: this.sid }, 'resend');
      list = Array.isArray(reply) ? reply : reply.items;
    } finally {
      if (this.memberChangesDuringLoad === changes) this.memberChangesDuringLoad = null;
    }
    const listed = new Set<string>();
    this.byIdentity = null;
    for (const wire of list) {
      listed.add(wire.sid);
      if (changes.get(wire.sid) === 'left') continue;
      const cached = this.members.get(wire.sid);
      if (cached) cached._apply(wire, false);
      else this.members.set(wire.sid, new Member(this.ctx, this, wire));
    }
    for (const [sid, member] of [...this.members]) {
      if (listed.has(sid) || changes.get(sid) === 'joined') continue;
      member._dispose();
      this.members.delete(sid);
    }
    this.membersComplete = this.state.status === 'joined';
    return [...this.members.values()];
  }

  protected override reportListenerError(err: unknown, event: string): void {
    this.ctx.reportListenerError(err, event);
  }
}

function pageItems(reply: CommandReply<'message.page'>): MessageWire[] {
  return Array.isArray(reply) ? reply : (reply?.items ?? []);
}

function consumptionOf(reply: ConsumptionWire | number | null): { last?: number | null; unread?: number | null } {
  if (typeof reply === 'number') return { unread: reply };
  if (!reply || typeof reply !== 'object') return {};
  return {
    ...('last_consumed_message_index' in reply ? { last: reply.last_consumed_message_index } : {}),
    unread: reply.unread_messages_count,
  };
}

function lastMessageOf(wire: MessageWire): LastMessage {
  const dateCreated = wire.date_created ? new Date(wire.date_created) : null;
  return dateCreated && !Number.isNaN(dateCreated.getTime()) ? { index: wire.index, dateCreated } : { index: wire.index };
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function requireIdentity(identity: unknown): string {
  if (typeof identity !== 'string' || identity.length === 0) throw SDKError.invalidArgument('identity must be a non-empty string');
  return identity;
}
