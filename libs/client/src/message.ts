import type { Channel } from './channel';
import type { ClientContext } from './context';
import { TypedEmitter } from './emitter';
import { SDKError } from './errors';
import type { Member } from './member';
import { messageStateFrom, messageUpdateReasons, type Attributes, type MessageState, type MessageUpdateReason } from './state';
import type { MessageWire } from './wire';

export interface MessageEvents {
  updated: [data: { message: Message; updateReasons: MessageUpdateReason[] }];
}

/** A message of a channel. `index` orders messages within the channel (it may skip numbers). */
export class Message extends TypedEmitter<MessageEvents> {
  readonly sid: string;
  readonly channel: Channel;
  /**
   * The resource as it arrived, until a getter needs the parsed state: a delivered message's attributes (JSON) and
   * dates are parsed once, on first use, and not at all when the app never reads them.
   */
  private wire: MessageWire | null;
  private parsed: MessageState | null = null;

  /** @internal */
  constructor(
    private readonly ctx: ClientContext,
    channel: Channel,
    wire: MessageWire,
  ) {
    super();
    this.sid = wire.sid;
    this.channel = channel;
    this.wire = wire;
  }

  get index(): number {
    return this.parsed === null ? (this.wire as MessageWire).index : this.parsed.index;
  }

  private get state(): MessageState {
    if (this.parsed === null) {
      this.parsed = messageStateFrom(this.wire as MessageWire);
      this.wire = null;
    }
    return this.parsed;
  }

  private set state(next: MessageState) {
    this.parsed = next;
    this.wire = null;
  }

  get author(): string | null {
    return this.state.author;
  }

  get body(): string | null {
    return this.state.body;
  }

  get attributes(): Attributes {
    return this.state.attributes;
  }

  get dateCreated(): Date | null {
    return this.state.dateCreated;
  }

  get dateUpdated(): Date | null {
    return this.state.dateUpdated;
  }

  get lastUpdatedBy(): string | null {
    return this.state.lastUpdatedBy;
  }

  get type(): 'text' | 'media' {
    return this.state.type;
  }

  /** Media messages are not supported by Parley yet. */
  get media(): null {
    return null;
  }

  /** The author's member sid, when the server sent it or the author is a known member of the channel. */
  get memberSid(): string | undefined {
    return this.state.memberSid ?? this.channel._memberSidOf(this.state.author) ?? undefined;
  }

  updateBody(body: string): Promise<Message> {
    if (typeof body !== 'string') return Promise.reject(SDKError.invalidArgument('body must be a string'));
    return this.update({ body });
  }

  updateAttributes(attributes: Attributes): Promise<Message> {
    if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
      return Promise.reject(SDKError.invalidArgument('attributes must be an object'));
    }
    return this.update({ attributes });
  }

  /** Deletes the message; the channel then emits `messageRemoved`. */
  async remove(): Promise<Message> {
    await this.ctx.request('message.remove', { channel: this.channel.sid, message: this.sid }, 'once');
    return this;
  }

  getMember(): Promise<Member> {
    if (!this.state.author) return Promise.reject(SDKError.invalidArgument('the message has no author'));
    return this.channel.getMemberByIdentity(this.state.author);
  }

  private async update(changes: { body?: string; attributes?: Attributes }): Promise<Message> {
    const wire = await this.ctx.request('message.update', { channel: this.channel.sid, message: this.sid, ...changes }, 'resend');
    this.channel._messageUpdated(wire, true);
    return this;
  }

  /** @internal Returns the update reasons; emits `updated` when there are some. */
  _apply(wire: MessageWire): MessageUpdateReason[] {
    const next = messageStateFrom(wire);
    const updateReasons = messageUpdateReasons(this.state, next);
    this.state = next;
    if (updateReasons.length) this.emit('updated', { message: this, updateReasons });
    return updateReasons;
  }

  /** @internal Refreshes the state from a page read, without events. */
  _refresh(wire: MessageWire): void {
    this.parsed = null;
    this.wire = wire;
  }

  protected override reportListenerError(err: unknown, event: string): void {
    this.ctx.reportListenerError(err, event);
  }
}
