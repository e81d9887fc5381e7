import { Injectable } from '@nestjs/common';
import { Errors, newSid, type Caller, type ChannelWebhookResource, type CommandParams, type PageResult } from '@parley/contracts';
import type { ChannelEntity, ChannelWebhookEntity } from '../database/entities';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { ScopeRepository } from '../scope/scope.repository';
import { parseSidKey } from '../paging/keysets';
import { requireSystem } from '../permissions/caller-access';
import { presentChannelWebhook } from './channel-webhook.presenter';
import { ChannelWebhooksRepository } from './channel-webhooks.repository';
import { configurationProblem, mergeConfiguration, newConfiguration } from './webhook-configuration';

/** Twilio: at most 5 per page for a Channel's Webhooks. */
const PAGE_SIZE = { default: 5, max: 5 };
const parseKey = parseSidKey('WH');

function notFound(channel: ChannelEntity, sid: string) {
  return Errors.notFound(`/Services/${channel.serviceSid}/Channels/${channel.sid}/Webhooks/${sid}`);
}

/** Channel Webhooks (REST only): stored and returned (delivery is a later issue). */
@Injectable()
export class ChannelWebhooksService {
  constructor(
    private readonly webhooks: ChannelWebhooksRepository,
    private readonly scope: ScopeRepository,
  ) {}

  async create(caller: Caller, params: CommandParams<'chat.v1.cmd.channel-webhook.create'>): Promise<ChannelWebhookResource> {
    requireSystem(caller);
    const configuration = newConfiguration(params.Type, params);
    const problem = configurationProblem(params.Type, configuration);
    if (problem) throw problem;
    const channel = await this.scope.channel(caller.accountSid, params.ServiceSid, params.ChannelSid);
    const now = new Date();
    const row: ChannelWebhookEntity = {
      sid: newSid('WH'),
      accountSid: caller.accountSid,
      serviceSid: channel.serviceSid,
      channelSid: channel.sid,
      type: params.Type,
      configuration,
      dateCreated: now,
      dateUpdated: now,
    };
    await this.webhooks.insert(row);
    return presentChannelWebhook(row);
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.channel-webhook.fetch'>): Promise<ChannelWebhookResource> {
    requireSystem(caller);
    const channel = await this.scope.channel(caller.accountSid, params.ServiceSid, params.ChannelSid);
    const row = await this.webhooks.findBySid(caller.accountSid, channel, params.Sid);
    if (!row) throw notFound(channel, params.Sid);
    return presentChannelWebhook(row);
  }

  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.channel-webhook.update'>): Promise<ChannelWebhookResource> {
    requireSystem(caller);
    const updated = await this.webhooks.transaction(async (tx) => {
      const channel = await this.scope.channel(caller.accountSid, params.ServiceSid, params.ChannelSid, { manager: tx.manager });
      const current = await tx.findBySid(caller.accountSid, channel, params.Sid, { lock: true });
      if (!current) throw notFound(channel, params.Sid);
      const configuration = mergeConfiguration(current.configuration ?? {}, params);
      const problem = configurationProblem(current.type, configuration);
      if (problem) throw problem;
      const next = { ...current, configuration, dateUpdated: new Date() };
      await tx.update(next);
      return next;
    });
    return presentChannelWebhook(updated);
  }

  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.channel-webhook.delete'>): Promise<Record<string, never>> {
    requireSystem(caller);
    const channel = await this.scope.channel(caller.accountSid, params.ServiceSid, params.ChannelSid);
    if (!(await this.webhooks.delete(caller.accountSid, channel, params.Sid))) throw notFound(channel, params.Sid);
    return {};
  }

  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.channel-webhook.list'>): Promise<PageResult<ChannelWebhookResource>> {
    requireSystem(caller);
    const channel = await this.scope.channel(caller.accountSid, params.ServiceSid, params.ChannelSid);
    const pageSize = resolvePageSize(params.PageSize, PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, parseKey) : null;
    const rows = await this.webhooks.list(caller.accountSid, channel, planPage(cursor), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (row) => ({ sid: row.sid }));
    return { items: page.items.map(presentChannelWebhook), pageSize, nextPageToken: page.nextPageToken, previousPageToken: page.previousPageToken };
  }
}
