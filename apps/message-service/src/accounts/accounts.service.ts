import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Errors, newSid, type AccountResource, type Caller, type CommandParams, type PageResult } from '@parley/contracts';
import { InjectConfig } from '../config/message-config.module';
import type { MessageConfig } from '../config/message.config';
import { SecretBox } from '../crypto/secret-box';
import type { AccountEntity } from '../database/entities';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { createdKeyParser } from '../paging/keysets';
import { presentAccount } from './account.presenter';
import { defaultSubaccountName, statusChangeProblem, subaccountCreationProblem } from './account-rules';
import { AccountsRepository } from './accounts.repository';
import { CredentialEvents } from './credential-events';
import { CredentialsService } from './credentials.service';
import { newAuthToken } from './random-secret';
import { requireSystem } from '../permissions/caller-access';

/** Twilio's 2010-04-01 lists: PageSize up to 1000, 50 by default. */
const PAGE_SIZE = { default: 50, max: 1000 };
const parseAccountKey = createdKeyParser('AC');

/**
 * The bootstrap account, and the Accounts resource of the 2010-04-01 API: an account sees itself and its
 * subaccounts; anything else is not found, exactly like an account that does not exist.
 */
@Injectable()
export class AccountsService implements OnModuleInit {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly credentials: CredentialsService,
    private readonly secretBox: SecretBox,
    private readonly events: CredentialEvents,
    @InjectConfig() private readonly config: MessageConfig,
    @InjectPinoLogger(AccountsService.name) private readonly logger: PinoLogger,
  ) {}

  /** Before any command is served (handlers subscribe on application bootstrap): the first request may be a login. */
  async onModuleInit(): Promise<void> {
    const sid = this.config.PARLEY_ACCOUNT_SID;
    const token = this.config.PARLEY_AUTH_TOKEN;
    const outcome = await this.accounts.ensureAccount(sid, 'Parley', this.credentials.tokenHash(token), this.secretBox.seal(token, sid));
    if (outcome !== 'unchanged') this.logger.info({ accountSid: sid, outcome }, 'bootstrap account ensured');
    // Gateways may still hold the old token's principal.
    if (outcome === 'token-rotated') this.events.changed(sid, 'auth-token-changed');
  }

  /** A subaccount of the caller, with its own random auth token (stored hashed, and sealed to be shown to its owner). */
  async create(caller: Caller, params: CommandParams<'chat.v1.cmd.account.create'>): Promise<AccountResource> {
    requireSystem(caller);
    const owner = await this.accounts.findAccount(caller.accountSid);
    if (!owner) throw Errors.authenticate();
    const problem = subaccountCreationProblem(owner);
    if (problem) throw problem;
    const now = new Date();
    const sid = newSid('AC');
    const token = newAuthToken();
    const account: AccountEntity = {
      sid,
      friendlyName: params.FriendlyName ?? defaultSubaccountName(now),
      status: 'active',
      type: owner.type,
      ownerAccountSid: owner.sid,
      authTokenHash: this.credentials.tokenHash(token),
      authTokenEncrypted: this.secretBox.seal(token, sid),
      dateCreated: now,
      dateUpdated: now,
    };
    await this.accounts.insert(account);
    this.logger.info({ accountSid: sid, ownerAccountSid: owner.sid }, 'subaccount created');
    return presentAccount(account, token);
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.account.fetch'>): Promise<AccountResource> {
    requireSystem(caller);
    const account = await this.accounts.findVisible(caller.accountSid, params.Sid);
    if (!account) throw notFound(params.Sid);
    return this.present(account);
  }

  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.account.update'>): Promise<AccountResource> {
    requireSystem(caller);
    const result = await this.accounts.updateVisible(caller.accountSid, params.Sid, (current) => {
      const problem = statusChangeProblem(current, caller.accountSid, params.Status);
      if (problem) throw problem;
      return {
        ...current,
        friendlyName: params.FriendlyName ?? current.friendlyName,
        status: params.Status ?? current.status,
        dateUpdated: new Date(),
      };
    });
    if (!result) throw notFound(params.Sid);
    if (result.after.status !== result.before.status) {
      this.logger.info({ accountSid: params.Sid, from: result.before.status, to: result.after.status }, 'account status changed');
      this.events.changed(params.Sid, 'status-changed');
    }
    return this.present(result.after);
  }

  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.account.list'>): Promise<PageResult<AccountResource>> {
    requireSystem(caller);
    const pageSize = resolvePageSize(params.PageSize, PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, parseAccountKey) : null;
    const rows = await this.accounts.listVisible(
      caller.accountSid,
      { friendlyName: params.FriendlyName, status: params.Status },
      planPage(cursor),
      pageSize + 1,
    );
    const page = buildPage(rows, pageSize, cursor, (r) => r.key);
    return {
      items: page.items.map((r) => this.present(r.row)),
      pageSize,
      nextPageToken: page.nextPageToken,
      previousPageToken: page.previousPageToken,
    };
  }

  private present(account: AccountEntity): AccountResource {
    return presentAccount(account, this.openAuthToken(account));
  }

  private openAuthToken(account: AccountEntity): string | null {
    if (!account.authTokenEncrypted) return null;
    try {
      return this.secretBox.open(account.authTokenEncrypted, account.sid);
    } catch {
      this.logger.error({ accountSid: account.sid }, 'auth token cannot be decrypted');
      return null;
    }
  }
}

function notFound(sid: string) {
  return Errors.notFound(`/2010-04-01/Accounts/${sid}.json`);
}
