import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import type { Caller } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentRole, type RoleJson } from './role.presenter';

const MAX_PAGE_SIZE = 100;

/** Chat v2 Roles of a Service (chat-v2-surface.md: CreateRole … ListRole). */
@Controller('v2/Services/:serviceSid/Roles')
export class RolesController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @Body() form: RestParams): Promise<RoleJson> {
    return presentRole(this.urls, await this.commands.run('chat.v1.cmd.role.create', caller, { ...form, ServiceSid: serviceSid }));
  }

  @Get()
  async list(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @Query() query: QueryParams) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.role.list', caller, { ...query, ...paging, ServiceSid: serviceSid });
    const meta = pageMeta({ key: 'roles', listUrl: this.urls.roles(serviceSid), query, paging, page });
    return listEnvelope(meta, page.items.map((role) => presentRole(this.urls, role)));
  }

  @Get(':sid')
  async fetch(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathSid('sid', 'RL') sid: string,
  ): Promise<RoleJson> {
    return presentRole(this.urls, await this.commands.run('chat.v1.cmd.role.fetch', caller, { ServiceSid: serviceSid, Sid: sid }));
  }

  @Post(':sid')
  @HttpCode(200) // Twilio updates with POST but answers 200, not Nest's 201 for POST.
  async update(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathSid('sid', 'RL') sid: string,
    @Body() form: RestParams,
  ): Promise<RoleJson> {
    return presentRole(this.urls, await this.commands.run('chat.v1.cmd.role.update', caller, { ...form, ServiceSid: serviceSid, Sid: sid }));
  }

  @Delete(':sid')
  @HttpCode(204)
  async remove(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @PathSid('sid', 'RL') sid: string): Promise<void> {
    await this.commands.run('chat.v1.cmd.role.delete', caller, { ServiceSid: serviceSid, Sid: sid });
  }
}
