import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransactionalRepository } from '../persistence/transactional.repository';
import { RoleEntity, ServiceEntity } from '../database/entities';
import { listByCreated, type CreatedKey, type KeyedRow } from '../paging/keysets';
import type { PagePlan } from '../paging/page-token';

/**
 * Services and their roles in Postgres. The account sid is a required argument of every query, so another
 * account's Service is invisible: it is not found, exactly like one that does not exist.
 */
@Injectable()
export class ServicesRepository extends TransactionalRepository<ServicesRepository> {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected fresh(): ServicesRepository {
    return new ServicesRepository(this.dataSource);
  }

  /** The service first, then its roles: both land or neither does. */
  insertWithRoles(service: ServiceEntity, roles: RoleEntity[]): Promise<void> {
    return this.transaction(async (tx) => {
      await tx.manager.insert(ServiceEntity, service);
      await tx.manager.insert(RoleEntity, roles);
    });
  }

  /** `lock` takes a row lock until the transaction ends (read-modify-write of an update). */
  findBySid(accountSid: string, sid: string, opts: { lock?: boolean } = {}): Promise<ServiceEntity | null> {
    return this.manager.findOne(ServiceEntity, {
      where: { accountSid, sid },
      ...(opts.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  findRoles(accountSid: string, serviceSid: string, roleSids: string[]): Promise<RoleEntity[]> {
    if (roleSids.length === 0) return Promise.resolve([]);
    return this.manager
      .createQueryBuilder(RoleEntity, 'r')
      .where('r.account_sid = :accountSid AND r.service_sid = :serviceSid AND r.sid IN (:...roleSids)', {
        accountSid,
        serviceSid,
        roleSids,
      })
      .getMany();
  }

  /** Stores every setting of `service` (a row read under lock and changed by the caller). */
  async update(accountSid: string, service: ServiceEntity): Promise<ServiceEntity> {
    const { sid, accountSid: _owner, ...changes } = service;
    await this.manager.update(ServiceEntity, { accountSid, sid }, changes);
    return service;
  }

  /** One statement: the foreign keys cascade to roles, users, channels and everything below them. */
  async delete(accountSid: string, sid: string): Promise<boolean> {
    const result = await this.manager.delete(ServiceEntity, { accountSid, sid });
    return (result.affected ?? 0) > 0;
  }

  /** At most `limit` rows in the plan's scan order, each with its exact key for the page tokens. */
  list(accountSid: string, plan: PagePlan<CreatedKey>, limit: number): Promise<KeyedRow<ServiceEntity>[]> {
    const qb = this.manager.createQueryBuilder(ServiceEntity, 's').where('s.account_sid = :accountSid', { accountSid });
    return listByCreated(qb, 's', plan, limit);
  }
}

