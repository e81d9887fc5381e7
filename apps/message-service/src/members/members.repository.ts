import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newSid } from '@parley/contracts';
import { ChannelEntity, InviteEntity, MemberEntity, MessageEntity, RoleEntity, type ServiceEntity, UserEntity } from '../database/entities';
import type { PagePlan } from '../paging/page-token';
import type { SidKey } from '../paging/keysets';
import { isUniqueViolation } from '../persistence/pg-errors';
import { TransactionalRepository } from '../persistence/transactional.repository';
import { newUserRow } from '../users/user-rows';
import { memberExists, type MemberChanges } from './membership-rules';

const MEMBER_UNIQUES = ['uq_members_channel_identity', 'uq_members_user_channel'];

/**
 * Members and the counters that count them (channels.members_count, users.joined_channels_count), which change
 * in the same transaction as the member rows. Account sid is a required argument of every query.
 */
@Injectable()
export class MembersRepository extends TransactionalRepository<MembersRepository> {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected fresh(): MembersRepository {
    return new MembersRepository(this.dataSource);
  }

  findRole(accountSid: string, serviceSid: string, roleSid: string): Promise<RoleEntity | null> {
    return this.manager.findOne(RoleEntity, { where: { accountSid, serviceSid, sid: roleSid } });
  }

  findByIdentity(accountSid: string, channel: ChannelEntity, identity: string, opts: { lock?: boolean } = {}): Promise<MemberEntity | null> {
    return this.manager.findOne(MemberEntity, {
      where: { accountSid, serviceSid: channel.serviceSid, channelSid: channel.sid, identity },
      ...(opts.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  findByUser(accountSid: string, channel: ChannelEntity, userSid: string, opts: { lock?: boolean } = {}): Promise<MemberEntity | null> {
    return this.manager.findOne(MemberEntity, {
      where: { accountSid, serviceSid: channel.serviceSid, channelSid: channel.sid, userSid },
      ...(opts.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /**
   * The Service's User of `identity`, created as Twilio does when a member or invite names an unknown identity
   * (with the Service's default service role). Locked until the transaction ends, so that its
   * joined_channels_count stays true while the caller checks `limits.user_channels` against it. A concurrent
   * creation of the same identity waits on the unique index, then finds that row.
   */
  async lockOrCreateUser(accountSid: string, service: ServiceEntity, identity: string, now: Date): Promise<{ user: UserEntity; created: boolean }> {
    const row = newUserRow({
      sid: newSid('US'),
      accountSid,
      serviceSid: service.sid,
      identity,
      roleSid: service.defaultServiceRoleSid,
      now,
    });
    const inserted = await this.manager
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values(row)
      .orIgnore()
      .returning(['sid'])
      .execute();
    const created = (inserted.raw as unknown[]).length > 0;
    const user = await this.manager.findOne(UserEntity, {
      where: { accountSid, serviceSid: service.sid, identity },
      lock: { mode: 'pessimistic_write' },
    });
    if (!user) throw new Error(`user ${identity} vanished in its own transaction`);
    return { user, created };
  }

  /** A new member, and both counters +1 (the caller holds the channel and user row locks). */
  async insert(member: MemberEntity): Promise<void> {
    try {
      await this.manager.insert(MemberEntity, member);
    } catch (err) {
      if (MEMBER_UNIQUES.some((name) => isUniqueViolation(err, name))) throw memberExists();
      throw err;
    }
    await this.bumpCounters(member, +1);
  }

  /** Removes a member, and both counters -1 (the caller holds the channel row lock). */
  async delete(member: MemberEntity): Promise<void> {
    await this.manager.delete(MemberEntity, { accountSid: member.accountSid, channelSid: member.channelSid, sid: member.sid });
    await this.bumpCounters(member, -1);
  }

  async update(member: MemberEntity, changes: Partial<MemberChanges & Pick<MemberEntity, 'notificationLevel'>>): Promise<MemberEntity> {
    await this.manager.update(MemberEntity, { accountSid: member.accountSid, channelSid: member.channelSid, sid: member.sid }, changes);
    return { ...member, ...changes };
  }

  private async bumpCounters(member: MemberEntity, delta: 1 | -1): Promise<void> {
    const by = delta > 0 ? '+ 1' : '- 1';
    await this.manager
      .createQueryBuilder()
      .update(ChannelEntity)
      .set({ membersCount: () => `GREATEST(members_count ${by}, 0)` })
      .where('account_sid = :accountSid AND sid = :sid', { accountSid: member.accountSid, sid: member.channelSid })
      .execute();
    await this.manager
      .createQueryBuilder()
      .update(UserEntity)
      .set({ joinedChannelsCount: () => `GREATEST(joined_channels_count ${by}, 0)` })
      .where('account_sid = :accountSid AND sid = :sid', { accountSid: member.accountSid, sid: member.userSid })
      .execute();
  }

  /** The pending invite of `identity` to the channel, deleted: joining or being added consumes it. */
  async takeInvite(accountSid: string, channel: ChannelEntity, identity: string): Promise<InviteEntity | null> {
    const invite = await this.manager.findOne(InviteEntity, {
      where: { accountSid, serviceSid: channel.serviceSid, channelSid: channel.sid, identity },
      lock: { mode: 'pessimistic_write' },
    });
    if (invite) await this.manager.delete(InviteEntity, { accountSid, channelSid: channel.sid, sid: invite.sid });
    return invite;
  }

  findInvite(accountSid: string, channel: ChannelEntity, identity: string): Promise<InviteEntity | null> {
    return this.manager.findOne(InviteEntity, { where: { accountSid, serviceSid: channel.serviceSid, channelSid: channel.sid, identity } });
  }

  /** Messages after the consumption horizon; null while no horizon is set (nothing reported as read yet). */
  async unreadCount(accountSid: string, channelSid: string, lastConsumed: number | null): Promise<number | null> {
    if (lastConsumed === null) return null;
    return this.manager
      .createQueryBuilder(MessageEntity, 'x')
      .where('x.account_sid = :accountSid AND x.channel_sid = :channelSid AND x.index > :lastConsumed', { accountSid, channelSid, lastConsumed })
      .getCount();
  }

  /** At most `limit` members of the channel (optionally of these identities) in the plan's scan order (keyset: sid). */
  list(accountSid: string, channel: ChannelEntity, identities: string[] | undefined, plan: PagePlan<SidKey>, limit: number): Promise<MemberEntity[]> {
    const qb = this.manager
      .createQueryBuilder(MemberEntity, 'm')
      .where('m.account_sid = :accountSid AND m.service_sid = :serviceSid AND m.channel_sid = :channelSid', {
        accountSid,
        serviceSid: channel.serviceSid,
        channelSid: channel.sid,
      })
      .orderBy('m.sid', plan.order)
      .limit(limit);
    if (identities && identities.length > 0) qb.andWhere('m.identity IN (:...identities)', { identities });
    const bound = plan.after ?? plan.before;
    if (bound) qb.andWhere(`m.sid ${plan.after ? '>' : '<'} :bound`, { bound: bound.sid });
    return qb.getMany();
  }
}
