import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createAccountParamsSchema, listAccountsParamsSchema, updateAccountParamsSchema, type Caller } from '@parley/contracts';
import { PrincipalCache } from '../auth/principal-cache';
import { ApiFormBody, ApiQueryParams } from '../docs/form-docs';
import { readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathSid, RestCaller } from '../http/rest-params.decorator';
import { type AccountJson, accountsPath, presentAccount } from './account.presenter';
import { AuthTokenOnlyGuard } from './auth-token-only.guard';
import { LEGACY_MAX_PAGE_SIZE, legacyListEnvelope } from './legacy-page';

/**
 * Accounts of the Twilio REST API 2010-04-01: the authenticated account and its subaccounts. Another account,
 * known or not, answers 404. Dates are RFC 2822 and `uri`s relative, as api.twilio.com renders them.
 */
@ApiTags('Accounts (2010-04-01)')
@ApiBasicAuth()
@UseGuards(AuthTokenOnlyGuard)
@Controller('2010-04-01')
export class AccountsController {
  constructor(
    private readonly commands: RestCommands,
    private readonly principals: PrincipalCache,
  ) {}

  @Post('Accounts.json')
  @HttpCode(201)
  @ApiOperation({ operationId: 'CreateAccount', summary: 'Create a subaccount of the authenticated account, with its own auth token' })
  @ApiFormBody(createAccountParamsSchema)
  @ApiResponse({ status: 201, description: 'The new subaccount, with its auth_token' })
  async create(@RestCaller() caller: Caller, @Body() form: RestParams): Promise<AccountJson> {
    return presentAccount(await this.commands.run('chat.v1.cmd.account.create', caller, form));
  }

  @Get('Accounts.json')
  @ApiOperation({ operationId: 'ListAccount', summary: 'The authenticated account and its subaccounts (FriendlyName, Status filters)' })
  @ApiQueryParams(listAccountsParamsSchema)
  @ApiResponse({ status: 200, description: '`{ accounts, start, end, page, page_size, uri, first_page_uri, next_page_uri, previous_page_uri }`' })
  async list(@RestCaller() caller: Caller, @Query() query: QueryParams) {
    const paging = readPaging(query, LEGACY_MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.account.list', caller, { ...query, ...paging });
    return legacyListEnvelope({ key: 'accounts', path: accountsPath(), query, paging, page: { ...page, items: page.items.map(presentAccount) } });
  }

  @Get('Accounts/:sid.json')
  @ApiOperation({ operationId: 'FetchAccount', summary: 'The authenticated account or one of its subaccounts' })
  @ApiParam({ name: 'sid', description: 'Account sid (AC…)' })
  @ApiResponse({ status: 200 })
  @ApiResponse({ status: 404, description: '20404: unknown, or not this account nor one of its subaccounts' })
  async fetch(@RestCaller() caller: Caller, @PathSid('sid', 'AC') sid: string): Promise<AccountJson> {
    return presentAccount(await this.commands.run('chat.v1.cmd.account.fetch', caller, { Sid: sid }));
  }

  @Post('Accounts/:sid.json')
  @HttpCode(200)
  @ApiOperation({ operationId: 'UpdateAccount', summary: "Rename an account, or change a subaccount's Status (owner only)" })
  @ApiParam({ name: 'sid', description: 'Account sid (AC…)' })
  @ApiFormBody(updateAccountParamsSchema, ['Sid'])
  @ApiResponse({ status: 200 })
  @ApiResponse({ status: 400, description: '21100: closing or suspending a main account, reopening a closed one' })
  @ApiResponse({ status: 403, description: "21100: a subaccount changing its own status" })
  async update(@RestCaller() caller: Caller, @PathSid('sid', 'AC') sid: string, @Body() form: RestParams): Promise<AccountJson> {
    const account = presentAccount(await this.commands.run('chat.v1.cmd.account.update', caller, { ...form, Sid: sid }));
    // The event reaches every replica; this one forgets at once, so the caller's next request already sees it.
    if (form.Status !== undefined) this.principals.evictAccount(sid);
    return account;
  }
}
