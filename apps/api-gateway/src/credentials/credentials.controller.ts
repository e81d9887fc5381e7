import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import type { Caller } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentCredential, type CredentialJson } from './credential.presenter';

/** Twilio: Credentials list up to 1000 per page. */
const MAX_PAGE_SIZE = 1000;

/** Chat v2 push Credentials, account-level (chat-v2-surface.md: CreateCredential … ListCredential). */
@Controller('v2/Credentials')
export class CredentialsController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@RestCaller() caller: Caller, @Body() form: RestParams): Promise<CredentialJson> {
    return presentCredential(this.urls, await this.commands.run('chat.v1.cmd.credential.create', caller, form));
  }

  @Get()
  async list(@RestCaller() caller: Caller, @Query() query: QueryParams) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.credential.list', caller, { ...query, ...paging });
    const meta = pageMeta({ key: 'credentials', listUrl: this.urls.credentials(), query, paging, page });
    return listEnvelope(meta, page.items.map((credential) => presentCredential(this.urls, credential)));
  }

  @Get(':sid')
  async fetch(@RestCaller() caller: Caller, @PathSid('sid', 'CR') sid: string): Promise<CredentialJson> {
    return presentCredential(this.urls, await this.commands.run('chat.v1.cmd.credential.fetch', caller, { Sid: sid }));
  }

  @Post(':sid')
  @HttpCode(200) // Twilio updates with POST but answers 200, not Nest's 201 for POST.
  async update(@RestCaller() caller: Caller, @PathSid('sid', 'CR') sid: string, @Body() form: RestParams): Promise<CredentialJson> {
    return presentCredential(this.urls, await this.commands.run('chat.v1.cmd.credential.update', caller, { ...form, Sid: sid }));
  }

  @Delete(':sid')
  @HttpCode(204)
  async remove(@RestCaller() caller: Caller, @PathSid('sid', 'CR') sid: string): Promise<void> {
    await this.commands.run('chat.v1.cmd.credential.delete', caller, { Sid: sid });
  }
}
