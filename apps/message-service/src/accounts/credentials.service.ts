import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Errors, isSid, type Principal } from '@parley/contracts';
import type { SigningKey } from '@parley/auth';
import { InjectConfig } from '../config/message-config.module';
import type { MessageConfig } from '../config/message.config';
import { SecretBox } from '../crypto/secret-box';
import { constantTimeEqual, hashAuthToken } from '../crypto/token-hash';
import { AccountsRepository, type KeyForAuth } from './accounts.repository';

export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * Verifies credentials without letting a secret leave this service: Basic auth (`AccountSid:AuthToken` or
 * `KeySid:KeySecret`, DESIGN.md §6), and the signing keys of Access Tokens.
 */
@Injectable()
export class CredentialsService {
  /** Compared against when the account is unknown, so both failures take the same path. */
  private readonly decoyHash: string;

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly secretBox: SecretBox,
    @InjectConfig() private readonly config: MessageConfig,
    @InjectPinoLogger(CredentialsService.name) private readonly logger: PinoLogger,
  ) {
    this.decoyHash = this.tokenHash('decoy');
  }

  async authenticate({ username, password }: BasicCredentials): Promise<Principal> {
    if (isSid(username, 'SK')) return this.authenticateApiKey(username, password);
    if (isSid(username, 'AC')) return this.authenticateAccount(username, password);
    throw Errors.authenticate();
  }

  /**
   * The key an Access Token names in `iss`, with its clear secret, while it and its account are usable:
   * a deleted key, or one of a suspended or closed account, signs nothing.
   */
  async signingKey(keySid: string): Promise<SigningKey | null> {
    const usable = await this.usableKey(keySid);
    return usable && { accountSid: usable.key.accountSid, secret: usable.secret };
  }

  tokenHash(token: string): string {
    return hashAuthToken(this.config.PARLEY_SECRET_KEY, token);
  }

  private async authenticateAccount(accountSid: string, authToken: string): Promise<Principal> {
    const account = await this.accounts.findAccount(accountSid);
    const matches = constantTimeEqual(this.tokenHash(authToken), account?.authTokenHash ?? this.decoyHash);
    if (!account || !matches || account.status !== 'active') throw Errors.authenticate();
    return { accountSid: account.sid, via: 'auth_token' };
  }

  private async authenticateApiKey(keySid: string, secret: string): Promise<Principal> {
    const usable = await this.usableKey(keySid);
    // Hashing both sides first makes the comparison constant-time regardless of the secrets' lengths.
    if (!usable || !constantTimeEqual(this.tokenHash(secret), this.tokenHash(usable.secret))) throw Errors.authenticate();
    return { accountSid: usable.key.accountSid, via: 'api_key' };
  }

  private async usableKey(keySid: string): Promise<{ key: KeyForAuth; secret: string } | null> {
    const key = await this.accounts.findKeyForAuth(keySid);
    if (!key) return null;
    let secret: string;
    try {
      secret = this.secretBox.open(key.secretEncrypted, key.sid);
    } catch {
      // Wrong server key or a corrupted row: an operator problem, but still no access for the caller.
      this.logger.error({ keySid }, 'api key secret cannot be decrypted');
      return null;
    }
    return key.accountStatus === 'active' ? { key, secret } : null;
  }
}
