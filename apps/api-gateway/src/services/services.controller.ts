import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createServiceParamsSchema, pageParamsSchema, updateServiceParamsSchema, type Caller } from '@parley/contracts';
import { ApiFormBody, ApiQueryParams } from '../docs/form-docs';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentService, type ServiceJson } from './service.presenter';

const MAX_PAGE_SIZE = 100;

const SID_PARAM = { name: 'sid', description: 'Service sid (IS…)' };

/** Chat v2 Services (chat-v2-surface.md: CreateService … DeleteService). */
@ApiTags('Services (Chat v2)')
@ApiBasicAuth()
@Controller('v2/Services')
export class ServicesController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ operationId: 'CreateService', summary: 'Create a Chat Service with its four default roles' })
  @ApiFormBody(createServiceParamsSchema)
  @ApiResponse({ status: 201 })
  async create(@RestCaller() caller: Caller, @Body() form: RestParams): Promise<ServiceJson> {
    return presentService(this.urls, await this.commands.run('chat.v1.cmd.service.create', caller, form));
  }

  @Get()
  @ApiOperation({ operationId: 'ListService', summary: "The account's Chat Services" })
  @ApiQueryParams(pageParamsSchema)
  @ApiResponse({ status: 200, description: '`{ services, meta }`' })
  async list(@RestCaller() caller: Caller, @Query() query: QueryParams) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.service.list', caller, { ...query, ...paging });
    const meta = pageMeta({ key: 'services', listUrl: this.urls.services(), query, paging, page });
    return listEnvelope(meta, page.items.map((service) => presentService(this.urls, service)));
  }

  @Get(':sid')
  @ApiOperation({ operationId: 'FetchService', summary: 'A Chat Service' })
  @ApiParam(SID_PARAM)
  @ApiResponse({ status: 200 })
  @ApiResponse({ status: 404, description: "20404: unknown, or another account's" })
  async fetch(@RestCaller() caller: Caller, @PathSid('sid', 'IS') sid: string): Promise<ServiceJson> {
    return presentService(this.urls, await this.commands.run('chat.v1.cmd.service.fetch', caller, { Sid: sid }));
  }

  @Post(':sid')
  @HttpCode(200) // Twilio updates with POST but answers 200, not Nest's 201 for POST.
  @ApiOperation({ operationId: 'UpdateService', summary: "Change a Chat Service's settings (dotted keys for notifications and limits)" })
  @ApiParam(SID_PARAM)
  @ApiFormBody(updateServiceParamsSchema, ['Sid'])
  @ApiResponse({ status: 200 })
  async update(@RestCaller() caller: Caller, @PathSid('sid', 'IS') sid: string, @Body() form: RestParams): Promise<ServiceJson> {
    return presentService(this.urls, await this.commands.run('chat.v1.cmd.service.update', caller, { ...form, Sid: sid }));
  }

  @Delete(':sid')
  @HttpCode(204)
  @ApiOperation({ operationId: 'DeleteService', summary: 'Delete a Chat Service and everything in it' })
  @ApiParam(SID_PARAM)
  @ApiResponse({ status: 204 })
  async remove(@RestCaller() caller: Caller, @PathSid('sid', 'IS') sid: string): Promise<void> {
    await this.commands.run('chat.v1.cmd.service.delete', caller, { Sid: sid });
  }
}
