import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AccountStatusValue } from '@parley/contracts';
import { AccountEntity } from '../database/entities';
import type { PagePlan } from '../paging/page-token';
import { type CreatedKey, listByCreated } from '../paging/keysets';
import { statement, Statements } from '../persistence/statements';

/** Accounts (alias `a`) a caller may see: itself and its own subaccounts. */
const VISIBLE_TO_CALLER = '(a.sid = :callerSid OR a.owner_account_sid = :callerSid)';

export interface KeyForAuth {
  sid: string;
  accountSid: string;
  secretEncrypted: string;
  accountStatus: AccountEntity['status'] | null;
}

const KEY_FOR_AUTH = statement(
  'key_for_auth',
  `SELECT k.sid, k.account_sid, k.secret_encrypted, a.status AS account_status
     FROM api_keys k LEFT JOIN accounts a ON a.sid = k.account_sid
    WHERE k.sid = $1`,
);

export type BootstrapOutcome = 'created' | 'token-rotated' | 'unchanged';

export interface AccountFilters {
  friendlyName?: string;
  status?: AccountStatusValue;
}

/**
 * Accounts in Postgres: credential lookups for Basic auth, the bootstrap account, and the Accounts resource.
 * Resource queries take the caller's account sid: a caller sees itself and its own subaccounts, nothing else.
 */
@Injectable()
export class AccountsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly statements: Statements,
  ) {}

  findAccount(accountSid: string): Promise<AccountEntity | null> {
    return this.dataSource.getRepository(AccountEntity).findOneBy({ sid: accountSid });
  }

  /**
   * What verifying a key needs, in one statement (every SDK handshake and API-key Basic auth runs it): the key's
   * account and sealed secret, and its account's status (null when the account row is gone). Null without the key.
   */
  async findKeyForAuth(keySid: string): Promise<KeyForAuth | null> {
    const [row] = await this.statements.rows<{ sid: string; account_sid: string; secret_encrypted: string; account_status: AccountEntity['status'] | null }>(
      KEY_FOR_AUTH,
      [keySid],
    );
    return row ? { sid: row.sid, accountSid: row.account_sid, secretEncrypted: row.secret_encrypted, accountStatus: row.account_status } : null;
  }

  /**
   * Creates the account, or re-hashes (and re-seals) its token when the configured one changed. One statement,
   * so replicas starting together cannot conflict: the loser of the insert race sees the winner's row and
   * leaves it alone. A row of an earlier version without the sealed copy gets one.
   */
  async ensureAccount(accountSid: string, friendlyName: string, authTokenHash: string, authTokenSealed: string): Promise<BootstrapOutcome> {
    const rows: { inserted: boolean; rotated: boolean }[] = await this.dataSource.query(
      `WITH previous AS (SELECT auth_token_hash FROM accounts WHERE sid = $1)
       INSERT INTO accounts (sid, friendly_name, status, type, auth_token_hash, auth_token_encrypted, date_created, date_updated)
       VALUES ($1, $2, 'active', 'Full', $3, $4, now(), now())
       ON CONFLICT (sid) DO UPDATE SET auth_token_hash = EXCLUDED.auth_token_hash,
           auth_token_encrypted = EXCLUDED.auth_token_encrypted, date_updated = now()
         WHERE accounts.auth_token_hash IS DISTINCT FROM EXCLUDED.auth_token_hash OR accounts.auth_token_encrypted IS NULL
       RETURNING (xmax = 0) AS inserted, (SELECT auth_token_hash FROM previous) IS DISTINCT FROM $3 AS rotated`,
      [accountSid, friendlyName, authTokenHash, authTokenSealed],
    );
    const row = rows[0];
    if (!row) return 'unchanged';
    if (row.inserted) return 'created';
    return row.rotated ? 'token-rotated' : 'unchanged';
  }

  async insert(account: AccountEntity): Promise<void> {
    await this.dataSource.getRepository(AccountEntity).insert(account);
  }

  /** `sid` when it is the caller itself or one of its subaccounts; null otherwise (unknown or someone else's). */
  findVisible(callerSid: string, sid: string): Promise<AccountEntity | null> {
    return this.dataSource
      .createQueryBuilder(AccountEntity, 'a')
      .where('a.sid = :sid', { sid })
      .andWhere(VISIBLE_TO_CALLER, { callerSid })
      .getOne();
  }

  /**
   * Read-modify-write of a visible account under a row lock: `change` sees the current row and returns the new
   * one (or throws, and nothing is written). Null when the account is not visible to the caller.
   */
  updateVisible(
    callerSid: string,
    sid: string,
    change: (current: AccountEntity) => AccountEntity,
  ): Promise<{ before: AccountEntity; after: AccountEntity } | null> {
    return this.dataSource.transaction(async (manager) => {
      const before = await manager
        .createQueryBuilder(AccountEntity, 'a')
        .setLock('pessimistic_write')
        .where('a.sid = :sid', { sid })
        .andWhere(VISIBLE_TO_CALLER, { callerSid })
        .getOne();
      if (!before) return null;
      const after = change({ ...before });
      await manager.update(AccountEntity, { sid }, { friendlyName: after.friendlyName, status: after.status, dateUpdated: after.dateUpdated });
      return { before, after };
    });
  }

  /** The caller and its subaccounts matching the filters: at most `limit` rows in the plan's scan order. */
  listVisible(callerSid: string, filters: AccountFilters, plan: PagePlan<CreatedKey>, limit: number) {
    const qb = this.dataSource
      .createQueryBuilder(AccountEntity, 'a')
      .where(VISIBLE_TO_CALLER, { callerSid });
    if (filters.friendlyName !== undefined) qb.andWhere('a.friendly_name = :friendlyName', { friendlyName: filters.friendlyName });
    if (filters.status !== undefined) qb.andWhere('a.status = :status', { status: filters.status });
    return listByCreated(qb, 'a', plan, limit);
  }
}
