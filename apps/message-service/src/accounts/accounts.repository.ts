import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountEntity, ApiKeyEntity } from '../database/entities';

export type BootstrapOutcome = 'created' | 'token-rotated' | 'unchanged';

/** Credential lookups for Basic auth, and the bootstrap account. */
@Injectable()
export class AccountsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findAccount(accountSid: string): Promise<AccountEntity | null> {
    return this.dataSource.getRepository(AccountEntity).findOneBy({ sid: accountSid });
  }

  findApiKey(keySid: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.getRepository(ApiKeyEntity).findOneBy({ sid: keySid });
  }

  /**
   * Creates the account, or re-hashes its token when the configured one changed. One statement, so replicas
   * starting together cannot conflict: the loser of the insert race sees the winner's row and leaves it alone.
   */
  async ensureAccount(accountSid: string, friendlyName: string, authTokenHash: string): Promise<BootstrapOutcome> {
    const rows: { inserted: boolean }[] = await this.dataSource.query(
      `INSERT INTO accounts (sid, friendly_name, status, type, auth_token_hash, date_created, date_updated)
       VALUES ($1, $2, 'active', 'Full', $3, now(), now())
       ON CONFLICT (sid) DO UPDATE SET auth_token_hash = EXCLUDED.auth_token_hash, date_updated = now()
         WHERE accounts.auth_token_hash IS DISTINCT FROM EXCLUDED.auth_token_hash
       RETURNING (xmax = 0) AS inserted`,
      [accountSid, friendlyName, authTokenHash],
    );
    const row = rows[0];
    if (!row) return 'unchanged';
    return row.inserted ? 'created' : 'token-rotated';
  }
}
