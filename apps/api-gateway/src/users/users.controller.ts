import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Query } from '@nestjs/common';
import type { Caller } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathKey, PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentUser, type UserJson } from './user.presenter';

const MAX_PAGE_SIZE = 100;
const WEBHOOK_HEADER = 'x-twilio-webhook-enabled';

/** `X-Twilio-Webhook-Enabled` travels as a parameter: validated (true|false) and accepted; webhooks come later. */
function withWebhookHeader(params: RestParams, header: string | undefined): RestParams {
  return header === undefined ? params : { ...params, 'X-Twilio-Webhook-Enabled': header };
}

/** Chat v2 Users of a Service (chat-v2-surface.md: CreateUser … ListUser); `{Sid}` is a sid or an identity. */
@Controller('v2/Services/:serviceSid/Users')
export class UsersController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Post()
  @HttpCode(201)
  async create(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @Body() form: RestParams,
    @Headers(WEBHOOK_HEADER) webhook: string | undefined,
  ): Promise<UserJson> {
    const params = withWebhookHeader({ ...form, ServiceSid: serviceSid }, webhook);
    return presentUser(this.urls, await this.commands.run('chat.v1.cmd.user.create', caller, params));
  }

  @Get()
  async list(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @Query() query: QueryParams) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.user.list', caller, { ...query, ...paging, ServiceSid: serviceSid });
    const meta = pageMeta({ key: 'users', listUrl: this.urls.users(serviceSid), query, paging, page });
    return listEnvelope(meta, page.items.map((user) => presentUser(this.urls, user)));
  }

  @Get(':sid')
  async fetch(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @PathKey('sid') key: string): Promise<UserJson> {
    return presentUser(this.urls, await this.commands.run('chat.v1.cmd.user.fetch', caller, { ServiceSid: serviceSid, Sid: key }));
  }

  @Post(':sid')
  @HttpCode(200) // Twilio updates with POST but answers 200, not Nest's 201 for POST.
  async update(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('sid') key: string,
    @Body() form: RestParams,
    @Headers(WEBHOOK_HEADER) webhook: string | undefined,
  ): Promise<UserJson> {
    const params = withWebhookHeader({ ...form, ServiceSid: serviceSid, Sid: key }, webhook);
    return presentUser(this.urls, await this.commands.run('chat.v1.cmd.user.update', caller, params));
  }

  @Delete(':sid')
  @HttpCode(204)
  async remove(@RestCaller() caller: Caller, @PathSid('serviceSid', 'IS') serviceSid: string, @PathKey('sid') key: string): Promise<void> {
    await this.commands.run('chat.v1.cmd.user.delete', caller, { ServiceSid: serviceSid, Sid: key });
  }
}
