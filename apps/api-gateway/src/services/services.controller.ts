import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import type { Caller } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentService, type ServiceJson } from './service.presenter';

const MAX_PAGE_SIZE = 100;

/** Chat v2 Services (chat-v2-surface.md: CreateService … DeleteService). */
@Controller('v2/Services')
export class ServicesController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@RestCaller() caller: Caller, @Body() form: RestParams): Promise<ServiceJson> {
    return presentService(this.urls, await this.commands.run('chat.v1.cmd.service.create', caller, form));
  }

  @Get()
  async list(@RestCaller() caller: Caller, @Query() query: QueryParams) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.service.list', caller, { ...query, ...paging });
    const meta = pageMeta({ key: 'services', listUrl: this.urls.services(), query, paging, page });
    return listEnvelope(meta, page.items.map((service) => presentService(this.urls, service)));
  }

  @Get(':sid')
  async fetch(@RestCaller() caller: Caller, @PathSid('sid', 'IS') sid: string): Promise<ServiceJson> {
    return presentService(this.urls, await this.commands.run('chat.v1.cmd.service.fetch', caller, { Sid: sid }));
  }

  @Post(':sid')
  @HttpCode(200) // Twilio updates with POST but answers 200, not Nest's 201 for POST.
  async update(@RestCaller() caller: Caller, @PathSid('sid', 'IS') sid: string, @Body() form: RestParams): Promise<ServiceJson> {
    return presentService(this.urls, await this.commands.run('chat.v1.cmd.service.update', caller, { ...form, Sid: sid }));
  }

  @Delete(':sid')
  @HttpCode(204)
  async remove(@RestCaller() caller: Caller, @PathSid('sid', 'IS') sid: string): Promise<void> {
    await this.commands.run('chat.v1.cmd.service.delete', caller, { Sid: sid });
  }
}
