import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import type { Caller } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathKey, PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentInvite, type InviteJson } from './invite.presenter';

const MAX_PAGE_SIZE = 100;

/** Chat v2 Invites of a Channel (`{ChannelSid}`: sid or unique name). */
@Controller('v2/Services/:serviceSid/Channels/:channelSid/Invites')
export class InvitesController {
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
  ): Promise<InviteJson> {
    const invite = await this.commands.run('chat.v1.cmd.invite.create', caller, { ...form, ServiceSid: serviceSid, ChannelSid: channelSid });
    return presentInvite(this.urls, invite);
  }

  @Get()
  async list(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelSid') channelSid: string,
    @Query() query: QueryParams,
  ) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.invite.list', caller, { ...query, ...paging, ServiceSid: serviceSid, ChannelSid: channelSid });
    const meta = pageMeta({ key: 'invites', listUrl: this.urls.channelInvites(serviceSid, encodeURIComponent(channelSid)), query, paging, page });
    return listEnvelope(meta, page.items.map((invite) => presentInvite(this.urls, invite)));
  }

  @Get(':sid')
  async fetch(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelSid') channelSid: string,
    @PathSid('sid', 'IN') sid: string,
  ): Promise<InviteJson> {
    const invite = await this.commands.run('chat.v1.cmd.invite.fetch', caller, { ServiceSid: serviceSid, ChannelSid: channelSid, Sid: sid });
    return presentInvite(this.urls, invite);
  }

  @Delete(':sid')
  @HttpCode(204)
  async remove(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelSid') channelSid: string,
    @PathSid('sid', 'IN') sid: string,
  ): Promise<void> {
    await this.commands.run('chat.v1.cmd.invite.delete', caller, { ServiceSid: serviceSid, ChannelSid: channelSid, Sid: sid });
  }
}
