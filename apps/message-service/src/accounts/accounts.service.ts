import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Errors, isSid, type Principal } from '@parley/contracts';
import { InjectConfig } from '../config/message-config.module';
import type { MessageConfig } from '../config/message.config';
import { SecretBox } from '../crypto/secret-box';
import { constantTimeEqual, hashAuthToken } from '../crypto/token-hash';
import { AccountsRepository } from './accounts.repository';

export interface BasicCredentials {
  username: string;
  password: string;
}

/** Verifies Basic-auth credentials: `AccountSid:AuthToken` or `KeySid:KeySecret` (DESIGN.md §6). */
@Injectable()
export class AccountsService implements OnModuleInit {
  private readonly secretBox: SecretBox;
  /** Compared against when the account is unknown, so both failures take the same path. */
  private readonly decoyHash: string;

  constructor(
    private readonly accounts: AccountsRepository,
    @InjectConfig() private readonly config: MessageConfig,
    @InjectPinoLogger(AccountsService.name) private readonly logger: PinoLogger,
  ) {
    this.secretBox = new SecretBox(config.PARLEY_SECRET_KEY);
    this.decoyHash = hashAuthToken(config.PARLEY_SECRET_KEY, 'decoy');
  }

  /** Before any command is served (handlers subscribe on application bootstrap): the first request may be a login. */
  async onModuleInit(): Promise<void> {
    const sid = this.config.PARLEY_ACCOUNT_SID;
    const outcome = await this.accounts.ensureAccount(sid, 'Parley', this.tokenHash(this.config.PARLEY_AUTH_TOKEN));
    if (outcome !== 'unchanged') this.logger.info({ accountSid: sid, outcome }, 'bootstrap account ensured');
  }

  async authenticate({ username, password }: BasicCredentials): Promise<Principal> {
    if (isSid(username, 'SK')) return this.authenticateApiKey(username, password);
    if (isSid(username, 'AC')) return this.authenticateAccount(username, password);
    throw Errors.authenticate();
  }

  private async authenticateAccount(accountSid: string, authToken: string): Promise<Principal> {
    const account = await this.accounts.findAccount(accountSid);
    const matches = constantTimeEqual(this.tokenHash(authToken), account?.authTokenHash ?? this.decoyHash);
    if (!account || !matches || account.status !== 'active') throw Errors.authenticate();
    return { accountSid: account.sid, via: 'auth_token' };
  }

  private async authenticateApiKey(keySid: string, secret: string): Promise<Principal> {
    const key = await this.accounts.findApiKey(keySid);
    if (!key) throw Errors.authenticate();
    let stored: string;
    try {
      stored = this.secretBox.open(key.secretEncrypted, key.sid);
    } catch {
      // Wrong server key or a corrupted row: an operator problem, but still no access for the caller.
      this.logger.error({ keySid }, 'api key secret cannot be decrypted');
      throw Errors.authenticate();
    }
    // Hashing both sides first makes the comparison constant-time regardless of the secrets' lengths.
    if (!constantTimeEqual(this.tokenHash(secret), this.tokenHash(stored))) throw Errors.authenticate();
    const account = await this.accounts.findAccount(key.accountSid);
    if (!account || account.status !== 'active') throw Errors.authenticate();
    return { accountSid: account.sid, via: 'api_key' };
  }

  private tokenHash(token: string): string {
    return hashAuthToken(this.config.PARLEY_SECRET_KEY, token);
  }
}
