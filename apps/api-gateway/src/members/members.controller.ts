import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import type { Caller } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathKey, PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentMember, type MemberJson } from './member.presenter';

const MAX_PAGE_SIZE = 100;

/** Chat v2 Members of a Channel (`{ChannelSid}`: sid or unique name; `{Sid}`: member sid or identity). */
@Controller('v2/Services/:serviceSid/Channels/:channelSid/Members')
export class MembersController {
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
  ): Promise<MemberJson> {
    const member = await this.commands.run('chat.v1.cmd.member.create', caller, { ...form, ServiceSid: serviceSid, ChannelSid: channelSid });
    return presentMember(this.urls, member);
  }

  @Get()
  async list(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelSid') channelSid: string,
    @Query() query: QueryParams,
  ) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.member.list', caller, { ...query, ...paging, ServiceSid: serviceSid, ChannelSid: channelSid });
    // The list URL names the channel as the request did (sid or unique name), like Twilio's meta.
    const meta = pageMeta({ key: 'members', listUrl: this.urls.channelMembers(serviceSid, encodeURIComponent(channelSid)), query, paging, page });
    return listEnvelope(meta, page.items.map((member) => presentMember(this.urls, member)));
  }

  @Get(':sid')
  async fetch(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelSid') channelSid: string,
    @PathKey('sid') sid: string,
  ): Promise<MemberJson> {
    const member = await this.commands.run('chat.v1.cmd.member.fetch', caller, { ServiceSid: serviceSid, ChannelSid: channelSid, Sid: sid });
    return presentMember(this.urls, member);
  }

  @Post(':sid')
  @HttpCode(200)
  async update(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelSid') channelSid: string,
    @PathKey('sid') sid: string,
    @Body() form: RestParams,
  ): Promise<MemberJson> {
    const member = await this.commands.run('chat.v1.cmd.member.update', caller, { ...form, ServiceSid: serviceSid, ChannelSid: channelSid, Sid: sid });
    return presentMember(this.urls, member);
  }

  @Delete(':sid')
  @HttpCode(204)
  async remove(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelSid') channelSid: string,
    @PathKey('sid') sid: string,
  ): Promise<void> {
    await this.commands.run('chat.v1.cmd.member.delete', caller, { ServiceSid: serviceSid, ChannelSid: channelSid, Sid: sid });
  }
}
