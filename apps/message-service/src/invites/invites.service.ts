import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ErrorCode, Errors, newSid, ParleyError, type Caller, type CommandParams, type InviteResource, type PageResult } from '@parley/contracts';
import type { ChannelEntity, InviteEntity } from '../database/entities';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { requireSystem, requireSystemParams, requireServiceAccess, resolveSdkTarget } from '../permissions/caller-access';
import { ChannelAccess } from '../permissions/channel-access';
import { ScopeRepository } from '../scope/scope.repository';
import { parseSidKey } from '../paging/keysets';
import { DomainEvents } from '../channels/domain-events';
import { MembersRepository } from '../members/members.repository';
import { channelRoleProblem, identityProblem, memberExists } from '../members/membership-rules';
import { presentInvite } from './invite.presenter';
import { alreadyInvited, InvitesRepository } from './invites.repository';

const PAGE_SIZE = { default: 50, max: 100 };
const parseKey = parseSidKey('IN');

function inviteNotFound(channel: ChannelEntity, sid: string) {
  return Errors.notFound(`/Services/${channel.serviceSid}/Channels/${channel.sid}/Invites/${sid}`);
}

/**
 * Invites of an identity to a channel. As for members, the identity's User is created when missing: the
 * invite then shows in that User's Channels (status `invited`), which live under the User. An SDK user invites
 * (inviteMember) and declines its own; reading and deleting invites is REST's.
 */
@Injectable()
export class InvitesService {
  constructor(
    private readonly invites: InvitesRepository,
    private readonly members: MembersRepository,
    private readonly scope: ScopeRepository,
    private readonly access: ChannelAccess,
    private readonly events: DomainEvents,
    @InjectPinoLogger(InvitesService.name) private readonly logger: PinoLogger,
  ) {}

  async create(caller: Caller, params: CommandParams<'chat.v1.cmd.invite.create'>): Promise<InviteResource> {
    requireServiceAccess(caller, params.ServiceSid);
    requireSystemParams(caller, params, ['RoleSid']);
    const problem = identityProblem(params.Identity);
    if (problem) throw problem;
    const invite = await this.invites.transaction(async (tx) => {
      const lookup = { manager: tx.manager };
      const members = this.members.within(tx.manager);
      const service = await this.scope.service(caller.accountSid, params.ServiceSid, lookup);
      // The channel lock orders this against adding the same identity as a member (which consumes invites).
      const { channel } = await this.access.channel(caller, params.ServiceSid, params.ChannelSid, ['member.invite'], { ...lookup, lock: true });
      if (await members.findByIdentity(caller.accountSid, channel, params.Identity)) throw memberExists();
      if (await tx.findByIdentity(caller.accountSid, channel, params.Identity)) throw alreadyInvited();
      if (params.RoleSid !== undefined) {
        const roleProblem = channelRoleProblem(params.RoleSid, await members.findRole(caller.accountSid, service.sid, params.RoleSid));
        if (roleProblem) throw roleProblem;
      }
      const now = new Date();
      await members.lockOrCreateUser(caller.accountSid, service, params.Identity, now);
      const row: InviteEntity = {
        sid: newSid('IN'),
        accountSid: caller.accountSid,
        serviceSid: service.sid,
        channelSid: channel.sid,
        identity: params.Identity,
        roleSid: params.RoleSid ?? service.defaultChannelRoleSid,
        createdBy: caller.actor.kind === 'user' ? caller.actor.identity : 'system',
        dateCreated: now,
        dateUpdated: now,
      };
      await tx.insert(row);
      return row;
    });
    const resource = presentInvite(invite);
    this.logger.info({ serviceSid: invite.serviceSid, channelSid: invite.channelSid, inviteSid: invite.sid }, 'invite created');
    this.events.publish(invite.serviceSid, 'invite.added', resource);
    return resource;
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.invite.fetch'>): Promise<InviteResource> {
    requireSystem(caller);
    const channel = await this.scope.channel(caller.accountSid, params.ServiceSid, params.ChannelSid);
    const invite = await this.invites.findBySid(caller.accountSid, channel, params.Sid);
    if (!invite) throw inviteNotFound(channel, params.Sid);
    return presentInvite(invite);
  }

  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.invite.delete'>): Promise<Record<string, never>> {
    requireSystem(caller);
    const channel = await this.scope.channel(caller.accountSid, params.ServiceSid, params.ChannelSid);
    const invite = await this.invites.findBySid(caller.accountSid, channel, params.Sid);
    if (!invite || !(await this.invites.delete(invite))) throw inviteNotFound(channel, params.Sid);
    this.events.publish(invite.serviceSid, 'invite.removed', presentInvite(invite));
    return {};
  }

  /** SDK: the actor declines its invite to a channel (Twilio 50601 when there is none). */
  async decline(caller: Caller, params: CommandParams<'chat.v1.cmd.invite.decline'>): Promise<Record<string, never>> {
    const target = resolveSdkTarget(caller, params);
    const { channel } = await this.access.channel(caller, target.serviceSid, params.channel, ['invite.decline']);
    const invite = await this.invites.findByIdentity(caller.accountSid, channel, target.identity);
    if (!invite || !(await this.invites.delete(invite))) throw new ParleyError(ErrorCode.InviteNotFound, 'Invite not found', 404);
    this.events.publish(invite.serviceSid, 'invite.removed', presentInvite(invite));
    return {};
  }

  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.invite.list'>): Promise<PageResult<InviteResource>> {
    requireSystem(caller);
    const channel = await this.scope.channel(caller.accountSid, params.ServiceSid, params.ChannelSid);
    const pageSize = resolvePageSize(params.PageSize, PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, parseKey) : null;
    const rows = await this.invites.list(caller.accountSid, channel, params.Identity, planPage(cursor), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (row) => ({ sid: row.sid }));
    return { items: page.items.map(presentInvite), pageSize, nextPageToken: page.nextPageToken, previousPageToken: page.previousPageToken };
  }
}
