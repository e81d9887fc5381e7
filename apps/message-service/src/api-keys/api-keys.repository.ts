import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../database/entities';
import type { PagePlan } from '../paging/page-token';
import { type CreatedKey, listByCreated } from '../paging/keysets';

/** API keys in Postgres; the owning account sid is a required argument of every query. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(key: ApiKeyEntity): Promise<void> {
    await this.dataSource.manager.insert(ApiKeyEntity, key);
  }

  find(accountSid: string, sid: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.manager.findOneBy(ApiKeyEntity, { accountSid, sid });
  }

  /** The updated row, or null when the account has no such key. */
  async updateFriendlyName(accountSid: string, sid: string, friendlyName: string | undefined, now: Date): Promise<ApiKeyEntity | null> {
    const changes = friendlyName === undefined ? { dateUpdated: now } : { friendlyName, dateUpdated: now };
    const result = await this.dataSource.manager.update(ApiKeyEntity, { accountSid, sid }, changes);
    return (result.affected ?? 0) > 0 ? this.find(accountSid, sid) : null;
  }

  async delete(accountSid: string, sid: string): Promise<boolean> {
    const result = await this.dataSource.manager.delete(ApiKeyEntity, { accountSid, sid });
    return (result.affected ?? 0) > 0;
  }

  list(accountSid: string, plan: PagePlan<CreatedKey>, limit: number) {
    const qb = this.dataSource.createQueryBuilder(ApiKeyEntity, 'k').where('k.account_sid = :accountSid', { accountSid });
    return listByCreated(qb, 'k', plan, limit);
  }
}
