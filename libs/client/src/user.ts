import type { ClientContext } from './context';
import { TypedEmitter } from './emitter';
import { SDKError, SDKErrorCode } from './errors';
import { userStateFrom, userUpdateReasons, type Attributes, type UserState, type UserUpdateReason } from './state';
import type { UserWire } from './wire';

export interface UserEvents {
  updated: [data: { user: User; updateReasons: UserUpdateReason[] }];
}

/**
 * A chat user. The client's own user and users fetched with `client.getUser()` (subscribed) stay
 * current from `userUpdated`; `isOnline`/`isNotifiable` are null unless the service has reachability on.
 */
export class User extends TypedEmitter<UserEvents> {
  readonly identity: string;
  private state: UserState;
  private subscribed: boolean;

  /** @internal */
  constructor(
    private readonly ctx: ClientContext,
    wire: UserWire,
    subscribed: boolean,
  ) {
    super();
    this.identity = wire.identity;
    this.state = userStateFrom(wire);
    this.subscribed = subscribed;
  }

  get friendlyName(): string | null {
    return this.state.friendlyName;
  }

  get attributes(): Attributes {
    return this.state.attributes;
  }

  get isOnline(): boolean | null {
    return this.ctx.reachabilityEnabled() ? this.state.online : null;
  }

  get isNotifiable(): boolean | null {
    return this.ctx.reachabilityEnabled() ? this.state.notifiable : null;
  }

  /** twilio-chat's names for the reachability fields. */
  get online(): boolean | null {
    return this.isOnline;
  }

  get notifiable(): boolean | null {
    return this.isNotifiable;
  }

  get isSubscribed(): boolean {
    return this.subscribed;
  }

  updateFriendlyName(friendlyName: string): Promise<User> {
    return this.update({ friendlyName });
  }

  updateAttributes(attributes: Attributes): Promise<User> {
    if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
      return Promise.reject(SDKError.invalidArgument('attributes must be an object'));
    }
    return this.update({ attributes });
  }

  /** Stops updates for this user (the client's own user stays subscribed). */
  unsubscribe(): Promise<void> {
    if (!this.subscribed || this.identity === this.ctx.identity()) return Promise.resolve();
    return this.ctx.unsubscribeUser(this);
  }

  private async update(changes: { friendlyName?: string; attributes?: Attributes }): Promise<User> {
    if (this.identity !== this.ctx.identity()) {
      throw new SDKError(SDKErrorCode.NotAuthorized, 'Only the client’s own user can be updated', 403);
    }
    const wire = await this.ctx.request('user.update', changes, 'resend');
    this._apply(wire);
    return this;
  }

  /** @internal Applies a (possibly partial) user resource; emits `updated`/`userUpdated` when something changed. */
  _apply(wire: UserWire): void {
    const next = userStateFrom(wire, this.state);
    const updateReasons = userUpdateReasons(this.state, next);
    this.state = next;
    if (updateReasons.length === 0) return;
    this.emit('updated', { user: this, updateReasons });
    this.ctx.emit('userUpdated', { user: this, updateReasons });
  }

  /** @internal */
  _setSubscribed(subscribed: boolean): void {
    this.subscribed = subscribed;
  }

  protected override reportListenerError(err: unknown, event: string): void {
    this.ctx.reportListenerError(err, event);
  }
}
