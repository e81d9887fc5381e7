import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import type { Caller } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathKey, PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentChannel, type ChannelJson } from './channel.presenter';

const MAX_PAGE_SIZE = 100;

/**
 * Chat v2 Channels (CreateChannel … ListChannel). `{Sid}` is a sid or a unique name. `X-Twilio-Webhook-Enabled`
 * is accepted and ignored until webhooks are delivered.
 */
@Controller('v2/Services/:serviceSid/Channels')
export class ChannelsController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @Body() form: RestParams): Promise<ChannelJson> {
    return presentChannel(this.urls, await this.commands.run('chat.v1.cmd.channel.create', caller, { ...form, ServiceSid: serviceSid }));
  }

  @Get()
  async list(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @Query() query: QueryParams) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.channel.list', caller, { ...query, ...paging, ServiceSid: serviceSid });
    const meta = pageMeta({ key: 'channels', listUrl: this.urls.channels(serviceSid), query, paging, page });
    return listEnvelope(meta, page.items.map((channel) => presentChannel(this.urls, channel)));
  }

  @Get(':sid')
  async fetch(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @PathKey('sid') sid: string): Promise<ChannelJson> {
    return presentChannel(this.urls, await this.commands.run('chat.v1.cmd.channel.fetch', caller, { ServiceSid: serviceSid, Sid: sid }));
  }

  @Post(':sid')
  @HttpCode(200)
  async update(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('sid') sid: string,
    @Body() form: RestParams,
  ): Promise<ChannelJson> {
    return presentChannel(this.urls, await this.commands.run('chat.v1.cmd.channel.update', caller, { ...form, ServiceSid: serviceSid, Sid: sid }));
  }

  @Delete(':sid')
  @HttpCode(204)
  async remove(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @PathKey('sid') sid: string): Promise<void> {
    await this.commands.run('chat.v1.cmd.channel.delete', caller, { ServiceSid: serviceSid, Sid: sid });
  }
}
