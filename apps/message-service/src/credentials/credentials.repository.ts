import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CredentialEntity } from '../database/entities';
import type { PagePlan } from '../paging/page-token';
import { listByCreated, type CreatedKey, type KeyedRow } from '../paging/keysets';

/**
 * Push credentials in Postgres, account-level. The account sid is a required argument of every query: another
 * account's credential is not found, exactly like one that does not exist.
 */
@Injectable()
export class CredentialsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(credential: CredentialEntity): Promise<void> {
    await this.dataSource.manager.insert(CredentialEntity, credential);
  }

  findBySid(accountSid: string, sid: string): Promise<CredentialEntity | null> {
    return this.dataSource.manager.findOne(CredentialEntity, { where: { accountSid, sid } });
  }

  /** One statement: the given columns change, the others stay; answers the row as stored, or null if none. */
  async update(accountSid: string, sid: string, changes: Partial<CredentialEntity>): Promise<CredentialEntity | null> {
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .update(CredentialEntity)
      .set(changes)
      .where('account_sid = :accountSid AND sid = :sid', { accountSid, sid })
      .execute();
    if ((result.affected ?? 0) === 0) return null;
    return this.findBySid(accountSid, sid);
  }

  /** Bindings that used it keep existing without a credential (fk_bindings_credential ON DELETE SET NULL). */
  async delete(accountSid: string, sid: string): Promise<boolean> {
    const result = await this.dataSource.manager.delete(CredentialEntity, { accountSid, sid });
    return (result.affected ?? 0) > 0;
  }

  list(accountSid: string, plan: PagePlan<CreatedKey>, limit: number): Promise<KeyedRow<CredentialEntity>[]> {
    const qb = this.dataSource.manager.createQueryBuilder(CredentialEntity, 'c').where('c.account_sid = :accountSid', { accountSid });
    return listByCreated(qb, 'c', plan, limit);
  }
}
