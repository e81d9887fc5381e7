import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import {
  newSid,
  SESSION_CHANNELS_MAX,
  type Caller,
  type ChannelResource,
  type CommandParams,
  type PageResult,
  type SessionChannels,
} from '@parley/contracts';
import { buildPage, decodePageToken, planPage, resolvePageSize, type PageCursor } from '../paging/page-token';
import { notAuthorized, requireSystemParams, requireServiceAccess, resolveSdkTarget } from '../permissions/caller-access';
import { ChannelAccess, viewerOf } from '../permissions/channel-access';
import { channelUpdateActions } from '../permissions/sdk-actions';
import { ScopeRepository } from '../scope/scope.repository';
import { parseSidKey, type SidKey } from '../paging/keysets';
import { NOT_PARTICIPATING, presentChannel } from './channel.presenter';
import { channelChanges, listedTypes, newChannelRow } from './channel-rules';
import { ChannelViewsRepository, type ViewedChannel } from './channel-views.repository';
import { ChannelsRepository } from './channels.repository';
import { DomainEvents } from './domain-events';
import { retryOnDeadlock } from '../persistence/pg-errors';

const PAGE_SIZE = { default: 50, max: 100 };
const parseKey = parseSidKey('CH');

/**
 * The Channel resource: addressed by sid or unique name; deleting one takes everything under it. An SDK user's
 * reads carry its membership; its changes are checked against its roles (permissions/sdk-actions.ts).
 */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly views: ChannelViewsRepository,
    private readonly access: ChannelAccess,
    private readonly scope: ScopeRepository,
    private readonly events: DomainEvents,
    @InjectPinoLogger(ChannelsService.name) private readonly logger: PinoLogger,
  ) {}

  /** An SDK user creates as itself (createChannel), and is not a member until it joins. */
  async create(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.create'>): Promise<ChannelResource> {
    requireServiceAccess(caller, params.ServiceSid);
    const viewer = viewerOf(caller);
    requireSystemParams(caller, params, ['DateCreated', 'DateUpdated']);
    if (viewer && params.CreatedBy !== undefined && params.CreatedBy !== viewer.identity) throw notAuthorized();
    await this.scope.service(caller.accountSid, params.ServiceSid);
    await this.access.requireService(caller, params.ServiceSid, 'channel.create');
    const row = newChannelRow({
      sid: newSid('CH'),
      accountSid: caller.accountSid,
      params: viewer ? { ...params, CreatedBy: viewer.identity } : params,
      now: new Date(),
    });
    await this.channels.insert(row);
    this.logger.info({ serviceSid: row.serviceSid, channelSid: row.sid }, 'channel created');
    this.events.publish(row.serviceSid, 'channel.added', presentChannel(row));
    return presentChannel(row, viewer ? NOT_PARTICIPATING : undefined);
  }

  /** A private channel is found by its members and invitees only. */
  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.fetch'>): Promise<ChannelResource> {
    const view = await this.access.channel(caller, params.ServiceSid, params.Sid, [], { unread: true });
    return presentChannel(view.channel, view.viewer?.relation);
  }

  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.update'>): Promise<ChannelResource> {
    requireSystemParams(caller, params, ['CreatedBy', 'DateCreated', 'DateUpdated']);
    const { updated, view } = await this.channels.transaction(async (tx) => {
      const locked = await this.access.channel(caller, params.ServiceSid, params.Sid, channelUpdateActions(params), {
        manager: tx.manager,
        lock: true,
        unread: true,
      });
      return { updated: await tx.update(caller.accountSid, locked.channel, channelChanges(locked.channel, params, new Date())), view: locked };
    });
    this.events.publish(updated.serviceSid, 'channel.updated', presentChannel(updated));
    return presentChannel(updated, view.viewer?.relation);
  }

  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.delete'>): Promise<Record<string, never>> {
    const removed = await retryOnDeadlock(() =>
      this.channels.transaction(async (tx) => {
        const { channel } = await this.access.channel(caller, params.ServiceSid, params.Sid, ['channel.destroy'], { manager: tx.manager, lock: true });
        await tx.deleteWithMembers(caller.accountSid, channel);
        return channel;
      }),
    );
    this.logger.info({ serviceSid: removed.serviceSid, channelSid: removed.sid }, 'channel deleted');
    this.events.publish(removed.serviceSid, 'channel.removed', presentChannel(removed));
    return {};
  }

  /** An SDK user lists public channels only (the public descriptors), each with its membership. */
  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.list'>): Promise<PageResult<ChannelResource>> {
    requireServiceAccess(caller, params.ServiceSid);
    await this.scope.service(caller.accountSid, params.ServiceSid);
    const pageSize = resolvePageSize(params.PageSize, PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, parseKey) : null;
    const viewer = viewerOf(caller);
    if (viewer) {
      const rows = await this.views.publicPage(caller.accountSid, params.ServiceSid, viewer.identity, planPage(cursor), pageSize + 1);
      return viewedPage(rows, pageSize, cursor);
    }
    const rows = await this.channels.list(caller.accountSid, params.ServiceSid, listedTypes(params.Type), planPage(cursor), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (row) => ({ sid: row.sid }));
    return { items: page.items.map((row) => presentChannel(row)), pageSize, nextPageToken: page.nextPageToken, previousPageToken: page.previousPageToken };
  }

  /** SDK: the channels the identity joined or is invited to, each with its membership. */
  async listSubscribed(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.list-subscribed'>): Promise<PageResult<ChannelResource>> {
    const target = resolveSdkTarget(caller, params);
    await this.scope.service(caller.accountSid, target.serviceSid);
    const pageSize = resolvePageSize(params.pageSize, PAGE_SIZE);
    const cursor = params.pageToken ? decodePageToken(params.pageToken, parseKey) : null;
    const rows = await this.views.subscribedPage(caller.accountSid, target.serviceSid, target.identity, planPage(cursor), pageSize + 1);
    return viewedPage(rows, pageSize, cursor);
  }

  /**
   * SDK, at connect: every channel the identity is a member of and every one it is invited to, with its membership.
   * A member of a channel never has more than `limits.user_channels` (at most SESSION_CHANNELS_MAX) of them.
   */
  async sessionChannels(caller: Caller, params: CommandParams<'chat.v1.cmd.session.channels'>): Promise<SessionChannels> {
    const { serviceSid, identity } = resolveSdkTarget(caller, params);
    const [joined, invited] = await Promise.all([
      this.views.joined(caller.accountSid, serviceSid, identity, SESSION_CHANNELS_MAX),
      this.views.invited(caller.accountSid, serviceSid, identity, SESSION_CHANNELS_MAX),
    ]);
    const present = (rows: ViewedChannel[]) => rows.map((row) => presentChannel(row.channel, row.relation));
    return { channels: present(joined), invited: present(invited) };
  }
}

function viewedPage(rows: ViewedChannel[], pageSize: number, cursor: PageCursor<SidKey> | null): PageResult<ChannelResource> {
  const page = buildPage(rows, pageSize, cursor, (row) => ({ sid: row.channel.sid }));
  return {
    items: page.items.map((row) => presentChannel(row.channel, row.relation)),
    pageSize,
    nextPageToken: page.nextPageToken,
    previousPageToken: page.previousPageToken,
  };
}
