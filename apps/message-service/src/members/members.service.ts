import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import {
  newSid,
  type Caller,
  type CommandParams,
  type ConsumeReply,
  type MemberResource,
  type PageResult,
} from '@parley/contracts';
import type { MemberEntity } from '../database/entities';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { notAuthorized, requireSystemParams, requireServiceAccess, resolveSdkTarget } from '../permissions/caller-access';
import { ChannelAccess, viewerOf, type ChannelView } from '../permissions/channel-access';
import { ownOrAnyAction, type SdkAction } from '../permissions/sdk-actions';
import { ScopeRepository } from '../scope/scope.repository';
import { parseSidKey } from '../paging/keysets';
import { DomainEvents } from '../channels/domain-events';
import { retryOnDeadlock } from '../persistence/pg-errors';
import { presentInvite } from '../invites/invite.presenter';
import { presentMember } from './member.presenter';
import { MembersRepository } from './members.repository';
import {
  channelRoleProblem,
  identityProblem,
  lastIndexOf,
  limitProblem,
  memberChanges,
  memberExists,
  memberRole,
  nextConsumedIndex,
  notMember,
} from './membership-rules';

const PAGE_SIZE = { default: 50, max: 100 };
const parseKey = parseSidKey('MB');

export interface NewMembership {
  serviceSid: string;
  channelKey: string;
  identity: string;
  roleSid?: string;
  /** SDK join: only a public channel, or one the identity is invited to; the creator gets the creator role. */
  join?: boolean;
  /** What an SDK caller must be allowed to do (checked under the channel lock). */
  actions: SdkAction[];
  lastConsumedMessageIndex?: number;
  lastConsumptionTimestamp?: string;
  dateCreated?: string;
  dateUpdated?: string;
  attributes?: string;
}

/** Channel Members: adding (users created on demand, limits enforced under row locks), updating, removing. */
@Injectable()
export class MembersService {
  constructor(
    private readonly members: MembersRepository,
    private readonly scope: ScopeRepository,
    private readonly access: ChannelAccess,
    private readonly events: DomainEvents,
    @InjectPinoLogger(MembersService.name) private readonly logger: PinoLogger,
  ) {}

  /** An SDK user adds someone (addMember) by identity, with the Service's default channel role. */
  async create(caller: Caller, params: CommandParams<'chat.v1.cmd.member.create'>): Promise<MemberResource> {
    requireServiceAccess(caller, params.ServiceSid);
    requireSystemParams(caller, params, ['RoleSid', 'LastConsumedMessageIndex', 'LastConsumptionTimestamp', 'DateCreated', 'DateUpdated']);
    return this.add(caller, {
      serviceSid: params.ServiceSid,
      channelKey: params.ChannelSid,
      identity: params.Identity,
      roleSid: params.RoleSid,
      lastConsumedMessageIndex: params.LastConsumedMessageIndex,
      lastConsumptionTimestamp: params.LastConsumptionTimestamp,
      dateCreated: params.DateCreated,
      dateUpdated: params.DateUpdated,
      attributes: params.Attributes,
      actions: ['member.add'],
    });
  }

  async join(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.join'>): Promise<MemberResource> {
    const target = resolveSdkTarget(caller, params);
    return this.add(caller, { serviceSid: target.serviceSid, channelKey: params.channel, identity: target.identity, join: true, actions: ['channel.join'] });
  }

  /**
   * One transaction: the channel row is locked first (serialising adds to this channel and its
   * members_count), then the user row (created if missing; serialising this user's adds to any channel and its
   * joined_channels_count). Both limits are checked against those locked counters, so concurrent adds can
   * never exceed them. An SDK caller's permissions are read with the channel's lock.
   */
  async add(caller: Caller, input: NewMembership): Promise<MemberResource> {
    const accountSid = caller.accountSid;
    const problem = identityProblem(input.identity);
    if (problem) throw problem;
    const { member, invite } = await retryOnDeadlock(() =>
      this.members.transaction(async (tx) => {
        const lookup = { manager: tx.manager };
        const service = await this.scope.service(accountSid, input.serviceSid, lookup);
        const { channel } = await this.access.channel(caller, input.serviceSid, input.channelKey, input.actions, { ...lookup, lock: true });
        if (await tx.findByIdentity(accountSid, channel, input.identity)) throw memberExists();
        const pending = await tx.findInvite(accountSid, channel, input.identity);
        // A private channel is joined by invitation, or by its creator (an SDK user who is neither does not even see it).
        if (input.join && channel.type === 'private' && !pending && channel.createdBy !== input.identity) throw notAuthorized();
        if (input.roleSid !== undefined) {
          const roleProblem = channelRoleProblem(input.roleSid, await tx.findRole(accountSid, service.sid, input.roleSid));
          if (roleProblem) throw roleProblem;
        }
        const now = new Date();
        const { user } = await tx.lockOrCreateUser(accountSid, service, input.identity, now);
        const limit = limitProblem({
          channelMembers: channel.membersCount,
          channelMembersLimit: service.limitsChannelMembers,
          userChannels: user.joinedChannelsCount,
          userChannelsLimit: service.limitsUserChannels,
        });
        if (limit) throw limit;
        const dateCreated = input.dateCreated ? new Date(input.dateCreated) : now;
        const row: MemberEntity = {
          sid: newSid('MB'),
          accountSid,
          serviceSid: service.sid,
          channelSid: channel.sid,
          identity: input.identity,
          userSid: user.sid,
          roleSid: memberRole({
            requested: input.roleSid,
            invited: pending?.roleSid,
            isCreator: input.join === true && channel.createdBy === input.identity,
            defaults: { channel: service.defaultChannelRoleSid, channelCreator: service.defaultChannelCreatorRoleSid },
          }),
          lastConsumedMessageIndex: input.lastConsumedMessageIndex ?? null,
          lastConsumptionTimestamp: input.lastConsumptionTimestamp ? new Date(input.lastConsumptionTimestamp) : null,
          notificationLevel: 'default',
          attributes: input.attributes ?? '{}',
          dateCreated,
          dateUpdated: input.dateUpdated ? new Date(input.dateUpdated) : dateCreated,
        };
        await tx.insert(row);
        const consumed = pending ? await tx.takeInvite(accountSid, channel, input.identity) : null;
        return { member: row, invite: consumed };
      }),
    );
    const resource = presentMember(member);
    this.logger.info({ serviceSid: member.serviceSid, channelSid: member.channelSid, memberSid: member.sid }, 'member added');
    if (invite) this.events.publish(member.serviceSid, 'invite.removed', presentInvite(invite));
    this.events.publish(member.serviceSid, 'member.added', resource);
    return resource;
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.member.fetch'>): Promise<MemberResource> {
    const { channel } = await this.access.channel(caller, params.ServiceSid, params.ChannelSid, ['member.read']);
    return presentMember(await this.scope.member(caller.accountSid, channel, params.Sid));
  }

  /** An SDK user changes attributes only: its own (editOwnMemberAttributes) or anyone's (editAnyMemberAttributes). */
  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.member.update'>): Promise<MemberResource> {
    requireSystemParams(caller, params, ['RoleSid', 'LastConsumedMessageIndex', 'LastConsumptionTimestamp', 'DateCreated', 'DateUpdated']);
    const updated = await this.members.transaction(async (tx) => {
      const lookup = { manager: tx.manager };
      const view = await this.access.channel(caller, params.ServiceSid, params.ChannelSid, [], lookup);
      const channel = view.channel;
      const current = await this.scope.member(caller.accountSid, channel, params.Sid, { ...lookup, lock: true });
      this.access.require(view, ownOrAnyAction(isSelf(caller, current), 'member.editOwnAttributes', 'member.editAnyAttributes'));
      if (params.RoleSid !== undefined) {
        const roleProblem = channelRoleProblem(params.RoleSid, await tx.findRole(caller.accountSid, channel.serviceSid, params.RoleSid));
        if (roleProblem) throw roleProblem;
      }
      return tx.update(current, memberChanges(current, params, new Date()));
    });
    const resource = presentMember(updated);
    this.events.publish(updated.serviceSid, 'member.updated', resource);
    return resource;
  }

  /** An SDK user removes someone else with removeMember; itself, it leaves (leaveChannel). */
  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.member.delete'>): Promise<Record<string, never>> {
    await this.remove(caller, params.ServiceSid, params.ChannelSid, async (tx, view) => {
      const member = await this.scope.member(caller.accountSid, view.channel, params.Sid, { manager: tx.manager, lock: true });
      this.access.require(view, isSelf(caller, member) ? 'channel.leave' : 'member.remove');
      return member;
    });
    return {};
  }

  async leave(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.leave'>): Promise<Record<string, never>> {
    const target = resolveSdkTarget(caller, params);
    await this.remove(caller, target.serviceSid, params.channel, async (tx, view) => {
      this.access.require(view, 'channel.leave');
      const member = await tx.findByIdentity(caller.accountSid, view.channel, target.identity, { lock: true });
      if (!member) throw notMember();
      return member;
    });
    return {};
  }

  /**
   * Removes the member `find` picks (and checks an SDK caller may), under the channel row lock, with both counters
   * in the same transaction. Used by DeleteMember, the SDK's leave and DeleteUserChannel.
   */
  async remove(
    caller: Caller,
    serviceSid: string,
    channelKey: string,
    find: (tx: MembersRepository, view: ChannelView) => Promise<MemberEntity>,
  ): Promise<MemberResource> {
    const removed = await retryOnDeadlock(() =>
      this.members.transaction(async (tx) => {
        const view = await this.access.channel(caller, serviceSid, channelKey, [], { manager: tx.manager, lock: true });
        const member = await find(tx, view);
        await tx.delete(member);
        return member;
      }),
    );
    const resource = presentMember(removed);
    this.logger.info({ serviceSid, channelSid: removed.channelSid, memberSid: removed.sid }, 'member removed');
    this.events.publish(serviceSid, 'member.removed', resource);
    return resource;
  }

  /** Whoever sees the channel sees its members (a private one: its members and invitees). */
  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.member.list'>): Promise<PageResult<MemberResource>> {
    const { channel } = await this.access.channel(caller, params.ServiceSid, params.ChannelSid, ['member.read']);
    const pageSize = resolvePageSize(params.PageSize, PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, parseKey) : null;
    const rows = await this.members.list(caller.accountSid, channel, params.Identity, planPage(cursor), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (row) => ({ sid: row.sid }));
    return { items: page.items.map(presentMember), pageSize, nextPageToken: page.nextPageToken, previousPageToken: page.previousPageToken };
  }

  /** SDK consumption report: moves the member's horizon (and its timestamp) and answers the unread count. */
  async consume(caller: Caller, params: CommandParams<'chat.v1.cmd.member.consume'>): Promise<ConsumeReply> {
    const target = resolveSdkTarget(caller, params);
    const { member, unread } = await this.members.transaction(async (tx) => {
      const { channel } = await this.access.channel(caller, target.serviceSid, params.channel, ['member.consume'], { manager: tx.manager });
      const current = await tx.findByIdentity(caller.accountSid, channel, target.identity, { lock: true });
      if (!current) throw notMember();
      const index = nextConsumedIndex(current.lastConsumedMessageIndex, params.index, lastIndexOf(channel), params.advance === true);
      const now = new Date();
      const updated = await tx.update(current, { lastConsumedMessageIndex: index, lastConsumptionTimestamp: now, dateUpdated: now });
      return { member: updated, unread: await tx.unreadCount(caller.accountSid, channel.sid, index) };
    });
    const resource = presentMember(member);
    this.events.publish(member.serviceSid, 'member.updated', resource);
    return { member: resource, unread_messages_count: unread };
  }
}

/** Whether the member is the SDK user calling (never for a REST caller). */
function isSelf(caller: Caller, member: MemberEntity): boolean {
  return viewerOf(caller)?.identity === member.identity;
}
