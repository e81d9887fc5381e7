import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { newSid, type Caller, type ChannelResource, type CommandParams, type PageResult } from '@parley/contracts';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { ScopeRepository } from '../scope/scope.repository';
import { assertServiceScope, parseSidKey } from './caller-scope';
import { presentChannel } from './channel.presenter';
import { channelChanges, listedTypes, newChannelRow } from './channel-rules';
import { ChannelsRepository } from './channels.repository';
import { DomainEvents } from './domain-events';
import { retryOnDeadlock } from './pg-errors';

const PAGE_SIZE = { default: 50, max: 100 };
const parseKey = parseSidKey('CH');

/** The Channel resource: addressed by sid or unique name; deleting one takes everything under it. */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly scope: ScopeRepository,
    private readonly events: DomainEvents,
    @InjectPinoLogger(ChannelsService.name) private readonly logger: PinoLogger,
  ) {}

  async create(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.create'>): Promise<ChannelResource> {
    assertServiceScope(caller, params.ServiceSid);
    await this.scope.service(caller.accountSid, params.ServiceSid);
    const row = newChannelRow({ sid: newSid('CH'), accountSid: caller.accountSid, params, now: new Date() });
    await this.channels.insert(row);
    const resource = presentChannel(row);
    this.logger.info({ serviceSid: row.serviceSid, channelSid: row.sid }, 'channel created');
    this.events.publish(row.serviceSid, 'channel.added', resource);
    return resource;
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.fetch'>): Promise<ChannelResource> {
    assertServiceScope(caller, params.ServiceSid);
    return presentChannel(await this.scope.channel(caller.accountSid, params.ServiceSid, params.Sid));
  }

  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.update'>): Promise<ChannelResource> {
    assertServiceScope(caller, params.ServiceSid);
    const updated = await this.channels.transaction(async (tx) => {
      const current = await this.scope.channel(caller.accountSid, params.ServiceSid, params.Sid, { manager: tx.manager, lock: true });
      return tx.update(caller.accountSid, current, channelChanges(current, params, new Date()));
    });
    const resource = presentChannel(updated);
    this.events.publish(updated.serviceSid, 'channel.updated', resource);
    return resource;
  }

  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.delete'>): Promise<Record<string, never>> {
    assertServiceScope(caller, params.ServiceSid);
    const removed = await retryOnDeadlock(() =>
      this.channels.transaction(async (tx) => {
        const channel = await this.scope.channel(caller.accountSid, params.ServiceSid, params.Sid, { manager: tx.manager, lock: true });
        await tx.deleteWithMembers(caller.accountSid, channel);
        return channel;
      }),
    );
    this.logger.info({ serviceSid: removed.serviceSid, channelSid: removed.sid }, 'channel deleted');
    this.events.publish(removed.serviceSid, 'channel.removed', presentChannel(removed));
    return {};
  }

  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.channel.list'>): Promise<PageResult<ChannelResource>> {
    assertServiceScope(caller, params.ServiceSid);
    await this.scope.service(caller.accountSid, params.ServiceSid);
    const pageSize = resolvePageSize(params.PageSize, PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, parseKey) : null;
    const rows = await this.channels.list(caller.accountSid, params.ServiceSid, listedTypes(params.Type), planPage(cursor), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (row) => ({ sid: row.sid }));
    return { items: page.items.map(presentChannel), pageSize, nextPageToken: page.nextPageToken, previousPageToken: page.previousPageToken };
  }
}
