import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import {
  Errors,
  newSid,
  type ApiKeyResource,
  type Caller,
  type CommandParams,
  type NewApiKeyResource,
  type PageResult,
} from '@parley/contracts';
import { AccountsRepository } from '../accounts/accounts.repository';
import { CredentialEvents } from '../accounts/credential-events';
import { newKeySecret } from '../accounts/random-secret';
import { SecretBox } from '../crypto/secret-box';
import type { ApiKeyEntity } from '../database/entities';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { createdKeyParser } from '../paging/keysets';
import { presentApiKey } from './api-key.presenter';
import { ApiKeysRepository } from './api-keys.repository';
import { requireSystem } from '../permissions/caller-access';

const PAGE_SIZE = { default: 50, max: 1000 };
const parseKeyKey = createdKeyParser('SK');

/**
 * API keys (`/2010-04-01/Accounts/{AccountSid}/Keys`) of the caller's account or of one of its subaccounts.
 * The secret is generated here, returned once by create, and stored sealed under the key's own sid.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly accounts: AccountsRepository,
    private readonly secretBox: SecretBox,
    private readonly events: CredentialEvents,
    @InjectPinoLogger(ApiKeysService.name) private readonly logger: PinoLogger,
  ) {}

  async create(caller: Caller, params: CommandParams<'chat.v1.cmd.api-key.create'>): Promise<NewApiKeyResource> {
    await this.assertVisibleAccount(caller, params.AccountSid);
    const now = new Date();
    const sid = newSid('SK');
    const secret = newKeySecret();
    const key: ApiKeyEntity = {
      sid,
      accountSid: params.AccountSid,
      friendlyName: params.FriendlyName ?? null,
      secretEncrypted: this.secretBox.seal(secret, sid),
      dateCreated: now,
      dateUpdated: now,
    };
    await this.keys.insert(key);
    this.logger.info({ accountSid: params.AccountSid, keySid: sid }, 'api key created');
    return { ...presentApiKey(key), secret };
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.api-key.fetch'>): Promise<ApiKeyResource> {
    await this.assertVisibleAccount(caller, params.AccountSid);
    const key = await this.keys.find(params.AccountSid, params.Sid);
    if (!key) throw notFound(params.AccountSid, params.Sid);
    return presentApiKey(key);
  }

  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.api-key.update'>): Promise<ApiKeyResource> {
    await this.assertVisibleAccount(caller, params.AccountSid);
    const key = await this.keys.updateFriendlyName(params.AccountSid, params.Sid, params.FriendlyName, new Date());
    if (!key) throw notFound(params.AccountSid, params.Sid);
    return presentApiKey(key);
  }

  /** The key stops authenticating at once: gateways are told to forget what they cached for the account. */
  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.api-key.delete'>): Promise<Record<string, never>> {
    await this.assertVisibleAccount(caller, params.AccountSid);
    if (!(await this.keys.delete(params.AccountSid, params.Sid))) throw notFound(params.AccountSid, params.Sid);
    this.logger.info({ accountSid: params.AccountSid, keySid: params.Sid }, 'api key deleted');
    this.events.changed(params.AccountSid, 'api-key-removed');
    return {};
  }

  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.api-key.list'>): Promise<PageResult<ApiKeyResource>> {
    await this.assertVisibleAccount(caller, params.AccountSid);
    const pageSize = resolvePageSize(params.PageSize, PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, parseKeyKey) : null;
    const rows = await this.keys.list(params.AccountSid, planPage(cursor), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (r) => r.key);
    return {
      items: page.items.map((r) => presentApiKey(r.row)),
      pageSize,
      nextPageToken: page.nextPageToken,
      previousPageToken: page.previousPageToken,
    };
  }

  /** The account in the path must be the caller or one of its subaccounts; anything else is not found. */
  private async assertVisibleAccount(caller: Caller, accountSid: string): Promise<void> {
    requireSystem(caller);
    if (!(await this.accounts.findVisible(caller.accountSid, accountSid))) {
      throw Errors.notFound(`/2010-04-01/Accounts/${accountSid}/Keys.json`);
    }
  }
}

function notFound(accountSid: string, sid: string) {
  return Errors.notFound(`/2010-04-01/Accounts/${accountSid}/Keys/${sid}.json`);
}
