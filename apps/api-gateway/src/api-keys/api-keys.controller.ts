import { Body, Controller, Delete, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  createApiKeyParamsSchema,
  listApiKeysParamsSchema,
  updateApiKeyParamsSchema,
  type ApiKeyResource,
  type Caller,
  type NewApiKeyResource,
} from '@parley/contracts';
import { keysPath } from '../accounts/account.presenter';
import { AuthTokenOnlyGuard } from '../accounts/auth-token-only.guard';
import { LEGACY_MAX_PAGE_SIZE, legacyListEnvelope } from '../accounts/legacy-page';
import { PrincipalCache } from '../auth/principal-cache';
import { ApiFormBody, ApiQueryParams } from '../docs/form-docs';
import { readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathSid, RestCaller } from '../http/rest-params.decorator';

const ACCOUNT_PARAM = { name: 'accountSid', description: 'The authenticated account, or one of its subaccounts (AC…)' };
const KEY_PARAM = { name: 'sid', description: 'API key sid (SK…)' };

/**
 * API Keys of the Twilio REST API 2010-04-01 (what `client.newKeys` / `client.keys` of the twilio helper call).
 * The secret is in the create response only; `KeySid:KeySecret` then authenticates every other REST route and
 * signs Access Tokens.
 */
@ApiTags('API Keys (2010-04-01)')
@ApiBasicAuth()
@UseGuards(AuthTokenOnlyGuard)
@Controller('2010-04-01/Accounts/:accountSid')
export class ApiKeysController {
  constructor(
    private readonly commands: RestCommands,
    private readonly principals: PrincipalCache,
  ) {}

  @Post('Keys.json')
  @HttpCode(201)
  @ApiOperation({ operationId: 'CreateNewKey', summary: 'Create an API key; its secret is returned this once' })
  @ApiParam(ACCOUNT_PARAM)
  @ApiFormBody(createApiKeyParamsSchema, ['AccountSid'])
  @ApiResponse({ status: 201, description: 'sid, friendly_name, date_created, date_updated, secret' })
  async create(
    @RestCaller() caller: Caller,
    @PathSid('accountSid', 'AC') accountSid: string,
    @Body() form: RestParams,
  ): Promise<NewApiKeyResource> {
    return this.commands.run('chat.v1.cmd.api-key.create', caller, { ...form, AccountSid: accountSid });
  }

  @Get('Keys.json')
  @ApiOperation({ operationId: 'ListKey', summary: "The account's API keys" })
  @ApiParam(ACCOUNT_PARAM)
  @ApiQueryParams(listApiKeysParamsSchema, ['AccountSid'])
  @ApiResponse({ status: 200, description: '`{ keys, start, end, page, page_size, uri, first_page_uri, next_page_uri, previous_page_uri }`' })
  async list(@RestCaller() caller: Caller, @PathSid('accountSid', 'AC') accountSid: string, @Query() query: QueryParams) {
    const paging = readPaging(query, LEGACY_MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.api-key.list', caller, { ...query, ...paging, AccountSid: accountSid });
    return legacyListEnvelope({ key: 'keys', path: keysPath(accountSid), query, paging, page });
  }

  @Get('Keys/:sid.json')
  @ApiOperation({ operationId: 'FetchKey', summary: 'An API key (never its secret)' })
  @ApiParam(ACCOUNT_PARAM)
  @ApiParam(KEY_PARAM)
  @ApiResponse({ status: 200 })
  async fetch(
    @RestCaller() caller: Caller,
    @PathSid('accountSid', 'AC') accountSid: string,
    @PathSid('sid', 'SK') sid: string,
  ): Promise<ApiKeyResource> {
    return this.commands.run('chat.v1.cmd.api-key.fetch', caller, { AccountSid: accountSid, Sid: sid });
  }

  @Post('Keys/:sid.json')
  @HttpCode(200)
  @ApiOperation({ operationId: 'UpdateKey', summary: "Rename an API key" })
  @ApiParam(ACCOUNT_PARAM)
  @ApiParam(KEY_PARAM)
  @ApiFormBody(updateApiKeyParamsSchema, ['AccountSid', 'Sid'])
  @ApiResponse({ status: 200 })
  async update(
    @RestCaller() caller: Caller,
    @PathSid('accountSid', 'AC') accountSid: string,
    @PathSid('sid', 'SK') sid: string,
    @Body() form: RestParams,
  ): Promise<ApiKeyResource> {
    return this.commands.run('chat.v1.cmd.api-key.update', caller, { ...form, AccountSid: accountSid, Sid: sid });
  }

  @Delete('Keys/:sid.json')
  @HttpCode(204)
  @ApiOperation({ operationId: 'DeleteKey', summary: 'Delete an API key: it stops authenticating at once' })
  @ApiParam(ACCOUNT_PARAM)
  @ApiParam(KEY_PARAM)
  @ApiResponse({ status: 204 })
  async remove(
    @RestCaller() caller: Caller,
    @PathSid('accountSid', 'AC') accountSid: string,
    @PathSid('sid', 'SK') sid: string,
  ): Promise<void> {
    await this.commands.run('chat.v1.cmd.api-key.delete', caller, { AccountSid: accountSid, Sid: sid });
    // The event reaches every replica; this one forgets at once, so the caller's next request already sees it.
    this.principals.evictAccount(accountSid);
  }
}
