import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import type { Caller } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathKey, PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentChannelWebhook, type ChannelWebhookJson } from './channel-webhook.presenter';

/** Twilio: at most 5 Channel Webhooks per page. */
const MAX_PAGE_SIZE = 5;

/** Chat v2 Channel Webhooks (`{ChannelSid}`: sid or unique name); stored and returned, not yet delivered. */
@Controller('v2/Services/:serviceSid/Channels/:channelSid/Webhooks')
export class ChannelWebhooksController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Post()
  @HttpCode(201)
  async create(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelSid') channelSid: string,
    @Body() form: RestParams,
  ): Promise<ChannelWebhookJson> {
    const webhook = await this.commands.run('chat.v1.cmd.channel-webhook.create', caller, { ...form, ServiceSid: serviceSid, ChannelSid: channelSid });
    return presentChannelWebhook(this.urls, webhook);
  }

  @Get()
  async list(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelSid') channelSid: string,
    @Query() query: QueryParams,
  ) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.channel-webhook.list', caller, {
      ...query,
      ...paging,
      ServiceSid: serviceSid,
      ChannelSid: channelSid,
    });
    const meta = pageMeta({ key: 'webhooks', listUrl: this.urls.channelWebhooks(serviceSid, encodeURIComponent(channelSid)), query, paging, page });
    return listEnvelope(meta, page.items.map((webhook) => presentChannelWebhook(this.urls, webhook)));
  }

  @Get(':sid')
  async fetch(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelSid') channelSid: string,
    @PathSid('sid', 'WH') sid: string,
  ): Promise<ChannelWebhookJson> {
    const webhook = await this.commands.run('chat.v1.cmd.channel-webhook.fetch', caller, { ServiceSid: serviceSid, ChannelSid: channelSid, Sid: sid });
    return presentChannelWebhook(this.urls, webhook);
  }

  @Post(':sid')
  @HttpCode(200)
  async update(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelSid') channelSid: string,
    @PathSid('sid', 'WH') sid: string,
    @Body() form: RestParams,
  ): Promise<ChannelWebhookJson> {
    const webhook = await this.commands.run('chat.v1.cmd.channel-webhook.update', caller, {
      ...form,
      ServiceSid: serviceSid,
      ChannelSid: channelSid,
      Sid: sid,
    });
    return presentChannelWebhook(this.urls, webhook);
  }

  @Delete(':sid')
  @HttpCode(204)
  async remove(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelSid') channelSid: string,
    @PathSid('sid', 'WH') sid: string,
  ): Promise<void> {
    await this.commands.run('chat.v1.cmd.channel-webhook.delete', caller, { ServiceSid: serviceSid, ChannelSid: channelSid, Sid: sid });
  }
}
