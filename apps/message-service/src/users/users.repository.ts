import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransactionalRepository } from '../persistence/transactional.repository';
import { ChannelEntity, InviteEntity, MemberEntity, RoleEntity, UserEntity } from '../database/entities';
import type { PagePlan } from '../paging/page-token';
import { listByCreated, type CreatedKey, type KeyedRow } from '../paging/keysets';

/**
 * Users in Postgres. The account sid (and the service sid where rows hang under a service) is a required argument
 * of every query: another account's user is not found, exactly like one that does not exist. Lookups of a user by
 * sid or identity go through ScopeRepository (with `manager` inside a transaction).
 */
@Injectable()
export class UsersRepository extends TransactionalRepository<UsersRepository> {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected fresh(): UsersRepository {
    return new UsersRepository(this.dataSource);
  }

  async insert(user: UserEntity): Promise<void> {
    await this.manager.insert(UserEntity, user);
  }

  /**
   * A role of the service, read with a share lock when inside a transaction: DeleteRole locks the row for update,
   * so it cannot delete a role while it is being assigned (and an assignment after the delete finds nothing).
   */
  findRoleForAssignment(accountSid: string, serviceSid: string, roleSid: string): Promise<RoleEntity | null> {
    return this.manager.findOne(RoleEntity, {
      where: { accountSid, serviceSid, sid: roleSid },
      ...(this.manager.queryRunner ? { lock: { mode: 'pessimistic_read' as const } } : {}),
    });
  }

  async update(accountSid: string, user: UserEntity): Promise<void> {
    await this.manager.update(
      UserEntity,
      { accountSid, serviceSid: user.serviceSid, sid: user.sid },
      { roleSid: user.roleSid, attributes: user.attributes, friendlyName: user.friendlyName, dateUpdated: user.dateUpdated },
    );
  }

  /** Channels the user is a member of (unlocked: tells DeleteUser which channel rows to lock first). */
  async membershipChannelSids(accountSid: string, userSid: string): Promise<string[]> {
    const rows = await this.manager.find(MemberEntity, { select: { channelSid: true }, where: { accountSid, userSid } });
    return rows.map((r) => r.channelSid);
  }

  /** Locks channel rows in sid order (the order every multi-channel lock takes, so two such locks cannot cross). */
  async lockChannels(accountSid: string, channelSids: string[]): Promise<void> {
    if (channelSids.length === 0) return;
    await this.manager
      .createQueryBuilder(ChannelEntity, 'c')
      .select('c.sid')
      .where('c.account_sid = :accountSid AND c.sid IN (:...channelSids)', { accountSid, channelSids })
      .orderBy('c.sid')
      .setLock('pessimistic_write')
      .getMany();
  }

  /** The user's memberships, locked: a concurrent removal of one of them waits, so no count is decremented twice. */
  lockMembershipsOf(accountSid: string, userSid: string): Promise<MemberEntity[]> {
    return this.manager
      .createQueryBuilder(MemberEntity, 'm')
      .where('m.account_sid = :accountSid AND m.user_sid = :userSid', { accountSid, userSid })
      .orderBy('m.channel_sid')
      .setLock('pessimistic_write')
      .getMany();
  }

  /** One membership fewer in each channel (each channel appears once: a user is a member once per channel). */
  async decrementMembersCount(accountSid: string, channelSids: string[]): Promise<void> {
    if (channelSids.length === 0) return;
    await this.manager
      .createQueryBuilder()
      .update(ChannelEntity)
      .set({ membersCount: () => 'members_count - 1' })
      .where('account_sid = :accountSid AND sid IN (:...channelSids)', { accountSid, channelSids })
      .execute();
  }

  /** Invites are by identity (the invitee need not be a user), so they do not cascade with the user row. */
  async deleteInvitesOf(accountSid: string, serviceSid: string, identity: string): Promise<number> {
    const result = await this.manager.delete(InviteEntity, { accountSid, serviceSid, identity });
    return result.affected ?? 0;
  }

  /** The foreign keys cascade to the user's members and bindings (their counters are adjusted first). */
  async delete(accountSid: string, serviceSid: string, sid: string): Promise<boolean> {
    const result = await this.manager.delete(UserEntity, { accountSid, serviceSid, sid });
    return (result.affected ?? 0) > 0;
  }

  list(accountSid: string, serviceSid: string, plan: PagePlan<CreatedKey>, limit: number): Promise<KeyedRow<UserEntity>[]> {
    const qb = this.manager
      .createQueryBuilder(UserEntity, 'u')
      .where('u.account_sid = :accountSid AND u.service_sid = :serviceSid', { accountSid, serviceSid });
    return listByCreated(qb, 'u', plan, limit);
  }
}

