import { Injectable } from '@nestjs/common';
import {
  Errors,
  isSid,
  type Caller,
  type CommandParams,
  type ListForIdentityReply,
  type PageResult,
  type UserChannelResource,
} from '@parley/contracts';
import type { ChannelEntity, UserEntity } from '../database/entities';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { notAuthorized, requireServiceAccess, resolveSdkTarget } from '../permissions/caller-access';
import { ChannelAccess, viewerOf } from '../permissions/channel-access';
import { ScopeRepository } from '../scope/scope.repository';
import { DomainEvents } from '../channels/domain-events';
import { presentInvite } from '../invites/invite.presenter';
import { presentMember } from '../members/member.presenter';
import { MembersRepository } from '../members/members.repository';
import { MembersService } from '../members/members.service';
import { presentUserChannel } from './user-channel.presenter';
import { type ChannelSidKey, UserChannelsRepository } from './user-channels.repository';

/** Twilio: at most 50 per page for a User's Channels. */
const PAGE_SIZE = { default: 50, max: 50 };

function parseKey(raw: unknown): ChannelSidKey | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { channelSid } = raw as Record<string, unknown>;
  return isSid(channelSid, 'CH') ? { channelSid } : null;
}

function notFound(serviceSid: string, userKey: string, channelKey: string) {
  return Errors.notFound(`/Services/${serviceSid}/Users/${userKey}/Channels/${channelKey}`);
}

/**
 * A User's Channels: its memberships (`joined`) and pending invites (`invited`). Updating one changes the
 * membership's notification level and consumption horizon; deleting one removes the membership (or declines
 * the invite). An SDK user reaches its own only; leaving that way needs leaveChannel, as any leave.
 */
@Injectable()
export class UserChannelsService {
  constructor(
    private readonly userChannels: UserChannelsRepository,
    private readonly members: MembersRepository,
    private readonly membership: MembersService,
    private readonly scope: ScopeRepository,
    private readonly access: ChannelAccess,
    private readonly events: DomainEvents,
  ) {}

  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.user-channel.list'>): Promise<PageResult<UserChannelResource>> {
    requireServiceAccess(caller, params.ServiceSid);
    const user = await this.scope.user(caller.accountSid, params.ServiceSid, params.UserSid);
    requireSelf(caller, user);
    const pageSize = resolvePageSize(params.PageSize, PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, parseKey) : null;
    const rows = await this.userChannels.list(caller.accountSid, user, planPage(cursor), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (row) => ({ channelSid: row.channel_sid }));
    return {
      items: page.items.map((row) => presentUserChannel(user, row)),
      pageSize,
      nextPageToken: page.nextPageToken,
      previousPageToken: page.previousPageToken,
    };
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.user-channel.fetch'>): Promise<UserChannelResource> {
    requireServiceAccess(caller, params.ServiceSid);
    const { user, channel } = await this.resolve(caller, params);
    const row = await this.userChannels.find(caller.accountSid, user, channel.sid);
    if (!row) throw notFound(params.ServiceSid, params.UserSid, params.ChannelSid);
    return presentUserChannel(user, row);
  }

  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.user-channel.update'>): Promise<UserChannelResource> {
    requireServiceAccess(caller, params.ServiceSid);
    const { user, channel } = await this.resolve(caller, params);
    const updated = await this.members.transaction(async (tx) => {
      const member = await tx.findByUser(caller.accountSid, channel, user.sid, { lock: true });
      if (!member) throw notFound(params.ServiceSid, params.UserSid, params.ChannelSid);
      const now = new Date();
      const consumed = params.LastConsumedMessageIndex !== undefined;
      return tx.update(member, {
        ...(params.NotificationLevel !== undefined && { notificationLevel: params.NotificationLevel }),
        ...(consumed && { lastConsumedMessageIndex: params.LastConsumedMessageIndex }),
        ...(params.LastConsumptionTimestamp !== undefined
          ? { lastConsumptionTimestamp: new Date(params.LastConsumptionTimestamp) }
          : consumed && { lastConsumptionTimestamp: now }),
        dateUpdated: now,
      });
    });
    this.events.publish(updated.serviceSid, 'member.updated', presentMember(updated));
    return presentUserChannel(user, {
      channel_sid: channel.sid,
      member_sid: updated.sid,
      status: 'joined',
      last_consumed_message_index: updated.lastConsumedMessageIndex,
      notification_level: updated.notificationLevel,
      unread_messages_count: await this.members.unreadCount(caller.accountSid, channel.sid, updated.lastConsumedMessageIndex),
    });
  }

  /** Removes the user from the channel: its membership (counters adjusted), or its pending invite. */
  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.user-channel.delete'>): Promise<Record<string, never>> {
    requireServiceAccess(caller, params.ServiceSid);
    const { user, channel } = await this.resolve(caller, params);
    const row = await this.userChannels.find(caller.accountSid, user, channel.sid);
    if (!row) throw notFound(params.ServiceSid, params.UserSid, params.ChannelSid);
    if (row.status === 'invited') {
      const taken = await this.members.transaction((tx) => tx.takeInvite(caller.accountSid, channel, user.identity));
      if (!taken) throw notFound(params.ServiceSid, params.UserSid, params.ChannelSid);
      this.events.publish(taken.serviceSid, 'invite.removed', presentInvite(taken));
      return {};
    }
    await this.membership.remove(caller, params.ServiceSid, channel.sid, async (tx, view) => {
      this.access.require(view, 'channel.leave');
      const member = await tx.findByUser(caller.accountSid, view.channel, user.sid, { lock: true });
      if (!member) throw notFound(params.ServiceSid, params.UserSid, params.ChannelSid);
      return member;
    });
    return {};
  }

  /** SDK, at connect: the channels whose rooms the identity's sockets join (none for an unknown identity). */
  async listForIdentity(caller: Caller, params: CommandParams<'chat.v1.cmd.user-channel.list-for-identity'>): Promise<ListForIdentityReply> {
    const target = resolveSdkTarget(caller, params);
    const user = isSid(target.identity, 'US') ? null : await this.scope.findUser(caller.accountSid, target.serviceSid, target.identity);
    if (!user) return { channel_sids: [], invited_channel_sids: [] };
    const sids = await this.userChannels.channelSidsOf(caller.accountSid, user);
    return { channel_sids: sids.joined, invited_channel_sids: sids.invited };
  }

  private async resolve(caller: Caller, params: { ServiceSid: string; UserSid: string; ChannelSid: string }): Promise<{ user: UserEntity; channel: ChannelEntity }> {
    const user = await this.scope.user(caller.accountSid, params.ServiceSid, params.UserSid);
    requireSelf(caller, user);
    const channel = await this.scope.channel(caller.accountSid, params.ServiceSid, params.ChannelSid);
    return { user, channel };
  }
}

/** An SDK user reads and changes its own User's Channels only. */
function requireSelf(caller: Caller, user: UserEntity): void {
  const viewer = viewerOf(caller);
  if (viewer && viewer.identity !== user.identity) throw notAuthorized();
}
