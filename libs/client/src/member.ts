import type { Channel } from './channel';
import type { ClientContext } from './context';
import { TypedEmitter } from './emitter';
import { memberStateFrom, memberUpdateReasons, type Attributes, type MemberState, type MemberUpdateReason } from './state';
import type { User } from './user';
import type { MemberWire } from './wire';

export interface MemberEvents {
  typingStarted: [member: Member];
  typingEnded: [member: Member];
  updated: [data: { member: Member; updateReasons: MemberUpdateReason[] }];
}

/** A member of a channel. Kept current while the client is joined to the channel. */
export class Member extends TypedEmitter<MemberEvents> {
  readonly sid: string;
  readonly channel: Channel;
  private state: MemberState;
  private typing = false;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;

  /** @internal */
  constructor(
    private readonly ctx: ClientContext,
    channel: Channel,
    wire: MemberWire,
  ) {
    super();
    this.sid = wire.sid;
    this.channel = channel;
    this.state = memberStateFrom(wire);
  }

  get identity(): string {
    return this.state.identity;
  }

  get roleSid(): string | null {
    return this.state.roleSid;
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

  get lastConsumedMessageIndex(): number | null {
    return this.state.lastConsumedMessageIndex;
  }

  get lastConsumptionTimestamp(): Date | null {
    return this.state.lastConsumptionTimestamp;
  }

  get isTyping(): boolean {
    return this.typing;
  }

  get type(): 'chat' {
    return 'chat';
  }

  getUser(): Promise<User> {
    return this.ctx.getUser(this.identity);
  }

  remove(): Promise<void> {
    return this.channel.removeMember(this);
  }

  /** @internal Returns the update reasons (empty: nothing changed, nothing emitted). */
  _apply(wire: MemberWire, emit = true): MemberUpdateReason[] {
    const next = memberStateFrom(wire);
    const updateReasons = memberUpdateReasons(this.state, next);
    this.state = next;
    if (emit && updateReasons.length) this.emit('updated', { member: this, updateReasons });
    return updateReasons;
  }

  /** @internal A typingStarted for this member: (re)starts the timer; true when the member was not typing. */
  _startTyping(timeoutMs: number): boolean {
    const started = !this.typing;
    this.typing = true;
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.channel._memberStoppedTyping(this), timeoutMs);
    if (started) this.emit('typingStarted', this);
    return started;
  }

  /** @internal True when the member was typing. */
  _endTyping(): boolean {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = null;
    if (!this.typing) return false;
    this.typing = false;
    this.emit('typingEnded', this);
    return true;
  }

  /** @internal Stops the typing timer without events (the channel went away). */
  _dispose(): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = null;
    this.typing = false;
  }

  protected override reportListenerError(err: unknown, event: string): void {
    this.ctx.reportListenerError(err, event);
  }
}
