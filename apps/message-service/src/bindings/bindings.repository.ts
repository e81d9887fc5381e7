import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BindingType } from '@parley/contracts';
import { BindingEntity, CredentialEntity } from '../database/entities';
import type { PagePlan } from '../paging/page-token';
import { listByCreated, type CreatedKey, type KeyedRow } from '../paging/keysets';

/** Which bindings of a service a list shows: all of them, or those of some types / identities / one user. */
export interface BindingFilter {
  types?: readonly BindingType[];
  identities?: readonly string[];
  userSid?: string;
}

/** Binding lookups are by sid within a service, or additionally within one user (the UserBinding view). */
export interface BindingKey {
  serviceSid: string;
  sid: string;
  userSid?: string;
}

/**
 * Push bindings in Postgres. The account sid and the service sid are required arguments of every query: another
 * account's binding is not found, exactly like one that does not exist.
 */
@Injectable()
export class BindingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(accountSid: string, key: BindingKey): Promise<BindingEntity | null> {
    return this.dataSource.manager.findOne(BindingEntity, { where: whereOf(accountSid, key) });
  }

  async delete(accountSid: string, key: BindingKey): Promise<boolean> {
    const result = await this.dataSource.manager.delete(BindingEntity, whereOf(accountSid, key));
    return (result.affected ?? 0) > 0;
  }

  list(accountSid: string, serviceSid: string, filter: BindingFilter, plan: PagePlan<CreatedKey>, limit: number): Promise<KeyedRow<BindingEntity>[]> {
    const qb = this.dataSource.manager
      .createQueryBuilder(BindingEntity, 'b')
      .where('b.account_sid = :accountSid AND b.service_sid = :serviceSid', { accountSid, serviceSid });
    if (filter.types?.length) qb.andWhere('b.binding_type IN (:...types)', { types: [...filter.types] });
    if (filter.identities?.length) qb.andWhere('b.identity IN (:...identities)', { identities: [...filter.identities] });
    if (filter.userSid !== undefined) qb.andWhere('b.user_sid = :userSid', { userSid: filter.userSid });
    return listByCreated(qb, 'b', plan, limit);
  }

  async credentialExists(accountSid: string, credentialSid: string): Promise<boolean> {
    return this.dataSource.manager.exists(CredentialEntity, { where: { accountSid, sid: credentialSid } });
  }

  /**
   * One statement, so concurrent registrations of one device cannot both insert: the row of (service, endpoint,
   * type) is created, or taken over by this user (a device that signs in as someone else) with its settings
   * replaced. `date_created` and the sid stay those of the first registration. `priorUserSid`: the user the row
   * belonged to before (another user's on a takeover, whose notifiability may have changed), null if it is new.
   */
  async upsert(row: BindingEntity): Promise<BindingEntity & { priorUserSid: string | null }> {
    const rows: { sid: string; date_created: Date; prior_user_sid: string | null }[] = await this.dataSource.query(
      `WITH prior AS (SELECT user_sid FROM bindings WHERE service_sid = $3 AND endpoint = $6 AND binding_type = $8)
       INSERT INTO bindings (sid, account_sid, service_sid, user_sid, identity, endpoint, credential_sid, binding_type,
                             message_types, date_created, date_updated)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
       ON CONFLICT ON CONSTRAINT uq_bindings_service_endpoint_type DO UPDATE
         SET user_sid = EXCLUDED.user_sid, identity = EXCLUDED.identity, credential_sid = EXCLUDED.credential_sid,
             message_types = EXCLUDED.message_types, date_updated = EXCLUDED.date_updated
         WHERE bindings.account_sid = EXCLUDED.account_sid
       RETURNING sid, date_created, (SELECT user_sid FROM prior) AS prior_user_sid`,
      [row.sid, row.accountSid, row.serviceSid, row.userSid, row.identity, row.endpoint, row.credentialSid, row.bindingType, row.messageTypes, row.dateCreated],
    );
    const stored = rows[0];
    if (!stored) throw new Error('binding upsert returned no row');
    return { ...row, sid: stored.sid, dateCreated: stored.date_created, priorUserSid: stored.prior_user_sid };
  }

  /**
   * Whether each of these users has at least one binding (is_notifiable), read with the database clock so
   * presence-service can order reports from several replicas. Users that no longer exist are left out.
   */
  async notifiability(
    accountSid: string,
    serviceSid: string,
    userSids: readonly string[],
  ): Promise<{ identity: string; notifiable: boolean; observedAt: number }[]> {
    const rows: { identity: string; notifiable: boolean; observed_at: string }[] = await this.dataSource.query(
      `SELECT u.identity, EXISTS (SELECT 1 FROM bindings b WHERE b.user_sid = u.sid) AS notifiable,
              floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS observed_at
       FROM users u WHERE u.account_sid = $1 AND u.service_sid = $2 AND u.sid = ANY($3)`,
      [accountSid, serviceSid, [...userSids]],
    );
    return rows.map((r) => ({ identity: r.identity, notifiable: r.notifiable, observedAt: Number(r.observed_at) }));
  }

  /** The user's bindings of one type: all of them, or the one of that endpoint. */
  async deleteOfUser(accountSid: string, serviceSid: string, userSid: string, bindingType: BindingType, endpoint?: string): Promise<number> {
    const result = await this.dataSource.manager.delete(BindingEntity, {
      accountSid,
      serviceSid,
      userSid,
      bindingType,
      ...(endpoint !== undefined && { endpoint }),
    });
    return result.affected ?? 0;
  }
}

function whereOf(accountSid: string, key: BindingKey) {
  return { accountSid, serviceSid: key.serviceSid, sid: key.sid, ...(key.userSid !== undefined && { userSid: key.userSid }) };
}
