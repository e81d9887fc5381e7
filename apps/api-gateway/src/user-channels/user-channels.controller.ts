import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import type { Caller } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathKey, PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentUserChannel, type UserChannelJson } from './user-channel.presenter';

/** Twilio: at most 50 per page for a User's Channels. */
const MAX_PAGE_SIZE = 50;

/** Chat v2 UserChannels (`{UserSid}`: sid or identity; `{ChannelSid}`: sid or unique name). */
@Controller('v2/Services/:serviceSid/Users/:userSid/Channels')
export class UserChannelsController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Get()
  async list(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('userSid') userSid: string,
    @Query() query: QueryParams,
  ) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.user-channel.list', caller, { ...query, ...paging, ServiceSid: serviceSid, UserSid: userSid });
    const meta = pageMeta({ key: 'channels', listUrl: this.urls.userChannelList(serviceSid, userSid), query, paging, page });
    return listEnvelope(meta, page.items.map((entry) => presentUserChannel(this.urls, entry)));
  }

  @Get(':channelSid')
  async fetch(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('userSid') userSid: string,
    @PathKey('channelSid') channelSid: string,
  ): Promise<UserChannelJson> {
    const entry = await this.commands.run('chat.v1.cmd.user-channel.fetch', caller, { ServiceSid: serviceSid, UserSid: userSid, ChannelSid: channelSid });
    return presentUserChannel(this.urls, entry);
  }

  @Post(':channelSid')
  @HttpCode(200)
  async update(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('userSid') userSid: string,
    @PathKey('channelSid') channelSid: string,
    @Body() form: RestParams,
  ): Promise<UserChannelJson> {
    const entry = await this.commands.run('chat.v1.cmd.user-channel.update', caller, {
      ...form,
      ServiceSid: serviceSid,
      UserSid: userSid,
      ChannelSid: channelSid,
    });
    return presentUserChannel(this.urls, entry);
  }

  @Delete(':channelSid')
  @HttpCode(204)
  async remove(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('userSid') userSid: string,
    @PathKey('channelSid') channelSid: string,
  ): Promise<void> {
    await this.commands.run('chat.v1.cmd.user-channel.delete', caller, { ServiceSid: serviceSid, UserSid: userSid, ChannelSid: channelSid });
  }
}
