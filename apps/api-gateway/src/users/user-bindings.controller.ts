import { Controller, Delete, Get, HttpCode, Query } from '@nestjs/common';
import type { Caller } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands } from '../http/rest-commands';
import { PathKey, PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentUserBinding, type UserBindingJson } from './user.presenter';

const MAX_PAGE_SIZE = 50;

/** Chat v2 UserBindings: a user's push bindings (ListUserBinding, FetchUserBinding, DeleteUserBinding). */
@Controller('v2/Services/:serviceSid/Users/:userSid/Bindings')
export class UserBindingsController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Get()
  async list(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('userSid') userKey: string,
    @Query() query: QueryParams,
  ) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.user-binding.list', caller, {
      ...query,
      ...paging,
      ServiceSid: serviceSid,
      UserSid: userKey,
    });
    const meta = pageMeta({ key: 'bindings', listUrl: this.urls.userBindings(serviceSid, userKey), query, paging, page });
    return listEnvelope(meta, page.items.map((binding) => presentUserBinding(this.urls, binding)));
  }

  @Get(':sid')
  async fetch(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('userSid') userKey: string,
    @PathSid('sid', 'BS') sid: string,
  ): Promise<UserBindingJson> {
    const binding = await this.commands.run('chat.v1.cmd.user-binding.fetch', caller, { ServiceSid: serviceSid, UserSid: userKey, Sid: sid });
    return presentUserBinding(this.urls, binding);
  }

  @Delete(':sid')
  @HttpCode(204)
  async remove(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('userSid') userKey: string,
    @PathSid('sid', 'BS') sid: string,
  ): Promise<void> {
    await this.commands.run('chat.v1.cmd.user-binding.delete', caller, { ServiceSid: serviceSid, UserSid: userKey, Sid: sid });
  }
}
