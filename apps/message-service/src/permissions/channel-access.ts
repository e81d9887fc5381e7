import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Caller } from '@parley/contracts';
import { ChannelViewsRepository, viewerKey, type AccessOptions, type ChannelAccessRow, type Viewer } from '../channels/channel-views.repository';
import { KeyedBatcher } from '../persistence/keyed-batcher';
import type { ChannelEntity } from '../database/entities';
import { notMember } from '../members/membership-rules';
import { channelNotFound, ScopeRepository } from '../scope/scope.repository';
import { notAuthorized, requireServiceAccess } from './caller-access';
import { denial, type AccessFacts, type Denial, type SdkAction } from './sdk-actions';

/** A channel as one caller addressed it. */
export interface ChannelView {
  channel: ChannelEntity;
  /** The SDK user's relation and permissions; null for a REST caller, who is never checked. */
  viewer: (ChannelAccessRow & { identity: string }) | null;
  /** How the caller named the channel (sid or unique name): an invisible channel's 404 names it so. */
  key: string;
}

/** The SDK user behind a caller, or null for a REST caller. */
export function viewerOf(caller: Caller): Viewer | null {
  return caller.actor.kind === 'user' ? caller.actor : null;
}

/**
 * Role permissions of SDK users (`user` actors), checked in message-service for every command they send
 * (sdk-actions.ts says which action needs what). REST callers (`system`) pass unchecked.
 */
@Injectable()
export class ChannelAccess {
  /**
   * Plain permission reads (outside a transaction) of users addressing the same channel together are one statement:
   * under load many members send to a channel at once, and each send starts with this read. A lone read is not
   * delayed (persistence/keyed-batcher.ts: nothing waits on a timer).
   */
  private readonly reads = new KeyedBatcher<{ accountSid: string; serviceSid: string; key: string; viewer: Viewer }, ChannelAccessRow | null>(
    (_key, items) => this.readMany(items),
    { maxItems: 100, maxWeight: 100 },
  );

  constructor(
    private readonly views: ChannelViewsRepository,
    private readonly scope: ScopeRepository,
  ) {}

  /**
   * The channel `key` names, as the caller may see it, with `actions` checked for an SDK user. A channel a user may
   * not see is not found, exactly like one that does not exist. `opts.lock` locks the channel row (in `opts.manager`'s
   * transaction), and the permissions are read in that same statement; `opts.unread` counts the user's unread
   * messages for a reply that shows its membership.
   */
  async channel(caller: Caller, serviceSid: string, key: string, actions: readonly SdkAction[] = [], opts: AccessOptions = {}): Promise<ChannelView> {
    const viewer = viewerOf(caller);
    if (!viewer) return { channel: await this.scope.channel(caller.accountSid, serviceSid, key, opts), viewer: null, key };
    requireServiceAccess(caller, serviceSid);
    const plain = opts.manager === undefined && !opts.lock && !opts.unread;
    const row = plain
      ? await this.reads.submit(`${caller.accountSid}/${serviceSid}/${key}`, { accountSid: caller.accountSid, serviceSid, key, viewer })
      : await this.views.access(caller.accountSid, serviceSid, key, viewer, opts);
    if (!row) throw channelNotFound(serviceSid, key);
    const view = { channel: row.channel, viewer: { ...row, identity: viewer.identity }, key };
    this.require(view, 'channel.read');
    for (const action of actions) this.require(view, action);
    return view;
  }

  /** Throws Twilio's answer when the view's SDK user may not do `action` (404, 403 50400 or 403 50107). */
  require(view: ChannelView, action: SdkAction): void {
    if (!view.viewer) return;
    const why = denial(action, factsOf(view.viewer));
    if (why) throw this.refusal(why, view);
  }

  /** An action that concerns no channel (create a channel, edit user info): the user's service role decides. */
  async requireService(caller: Caller, serviceSid: string, action: SdkAction, manager?: EntityManager): Promise<void> {
    const viewer = viewerOf(caller);
    if (!viewer) return;
    requireServiceAccess(caller, serviceSid);
    const servicePermissions = await this.views.servicePermissions(caller.accountSid, serviceSid, viewer, manager);
    if (denial(action, { servicePermissions, channel: null })) throw notAuthorized();
  }

  /** One batch of plain reads (all of one channel): one statement for one viewer, one for several. */
  private async readMany(items: { accountSid: string; serviceSid: string; key: string; viewer: Viewer }[]): Promise<PromiseSettledResult<ChannelAccessRow | null>[]> {
    const [first] = items;
    if (!first) return [];
    if (items.length === 1) return [{ status: 'fulfilled', value: await this.views.access(first.accountSid, first.serviceSid, first.key, first.viewer) }];
    const viewers = [...new Map(items.map((i) => [viewerKey(i.viewer), i.viewer])).values()];
    const rows = await this.views.accessMany(first.accountSid, first.serviceSid, first.key, viewers);
    return items.map((i) => ({ status: 'fulfilled', value: rows.get(viewerKey(i.viewer)) ?? null }));
  }

  private refusal(why: Denial, view: ChannelView): Error {
    if (why === 'invisible') return channelNotFound(view.channel.serviceSid, view.key);
    return why === 'not-member' ? notMember() : notAuthorized();
  }
}

/** REST's author of channels (and messages): never an SDK user's claim to have created a channel. */
const REST_AUTHOR = 'system';

export function factsOf(row: ChannelAccessRow & { identity: string }): AccessFacts {
  return {
    servicePermissions: row.servicePermissions,
    channel: {
      type: row.channel.type,
      memberPermissions: row.memberPermissions,
      invited: row.relation.invited,
      creator: row.identity !== REST_AUTHOR && row.channel.createdBy === row.identity,
    },
  };
}
