import { Controller, Delete, Get, HttpCode, Query } from '@nestjs/common';
import type { Caller } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands } from '../http/rest-commands';
import { PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentBinding, type BindingJson } from './binding.presenter';

const MAX_PAGE_SIZE = 50;

/** Chat v2 Bindings of a Service (ListBinding with BindingType/Identity filters, FetchBinding, DeleteBinding). */
@Controller('v2/Services/:serviceSid/Bindings')
export class BindingsController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Get()
  async list(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @Query() query: QueryParams) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.binding.list', caller, { ...query, ...paging, ServiceSid: serviceSid });
    const meta = pageMeta({ key: 'bindings', listUrl: this.urls.bindings(serviceSid), query, paging, page });
    return listEnvelope(meta, page.items.map((binding) => presentBinding(this.urls, binding)));
  }

  @Get(':sid')
  async fetch(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @PathSid('sid', 'BS') sid: string): Promise<BindingJson> {
    return presentBinding(this.urls, await this.commands.run('chat.v1.cmd.binding.fetch', caller, { ServiceSid: serviceSid, Sid: sid }));
  }

  @Delete(':sid')
  @HttpCode(204)
  async remove(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @PathSid('sid', 'BS') sid: string): Promise<void> {
    await this.commands.run('chat.v1.cmd.binding.delete', caller, { ServiceSid: serviceSid, Sid: sid });
  }
}
