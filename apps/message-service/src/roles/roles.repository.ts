import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransactionalRepository } from '../persistence/transactional.repository';
import { InviteEntity, MemberEntity, RoleEntity, ServiceEntity, UserEntity } from '../database/entities';
import type { PagePlan } from '../paging/page-token';
import { listByCreated, type CreatedKey, type KeyedRow } from '../paging/keysets';

/** Where a role is still referenced: what keeps it from being deleted. */
export interface RoleUsage {
  serviceDefault: boolean;
  users: number;
  members: number;
  invites: number;
}

/**
 * Roles in Postgres. The account sid and the service sid are required arguments of every query: another account's
 * role is not found, exactly like one that does not exist.
 */
@Injectable()
export class RolesRepository extends TransactionalRepository<RolesRepository> {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected fresh(): RolesRepository {
    return new RolesRepository(this.dataSource);
  }

  async insert(role: RoleEntity): Promise<void> {
    await this.manager.insert(RoleEntity, role);
  }

  /** `lock` takes a row lock until the transaction ends (read-modify-write, delete). */
  findBySid(accountSid: string, serviceSid: string, sid: string, opts: { lock?: boolean } = {}): Promise<RoleEntity | null> {
    return this.manager.findOne(RoleEntity, {
      where: { accountSid, serviceSid, sid },
      ...(opts.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  async updatePermissions(accountSid: string, role: RoleEntity): Promise<void> {
    await this.manager.update(
      RoleEntity,
      { accountSid, serviceSid: role.serviceSid, sid: role.sid },
      { permissions: role.permissions, dateUpdated: role.dateUpdated },
    );
  }

  /** Counted under the role's row lock: whoever assigns a role reads it with a share lock, so none can slip in. */
  async usage(accountSid: string, serviceSid: string, roleSid: string): Promise<RoleUsage> {
    const where = { accountSid, serviceSid, roleSid };
    // One after the other: they share the transaction's connection.
    const serviceDefault = await this.manager
      .createQueryBuilder(ServiceEntity, 's')
      .where('s.account_sid = :accountSid AND s.sid = :serviceSid', { accountSid, serviceSid })
      .andWhere(
        '(s.default_service_role_sid = :roleSid OR s.default_channel_role_sid = :roleSid OR s.default_channel_creator_role_sid = :roleSid)',
        { roleSid },
      )
      .getExists();
    const users = await this.manager.count(UserEntity, { where });
    const members = await this.manager.count(MemberEntity, { where });
    const invites = await this.manager.count(InviteEntity, { where });
    return { serviceDefault, users, members, invites };
  }

  async delete(accountSid: string, serviceSid: string, sid: string): Promise<boolean> {
    const result = await this.manager.delete(RoleEntity, { accountSid, serviceSid, sid });
    return (result.affected ?? 0) > 0;
  }

  list(accountSid: string, serviceSid: string, plan: PagePlan<CreatedKey>, limit: number): Promise<KeyedRow<RoleEntity>[]> {
    const qb = this.manager
      .createQueryBuilder(RoleEntity, 'r')
      .where('r.account_sid = :accountSid AND r.service_sid = :serviceSid', { accountSid, serviceSid });
    return listByCreated(qb, 'r', plan, limit);
  }
}

