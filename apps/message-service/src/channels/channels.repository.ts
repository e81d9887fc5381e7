import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode, Errors, type ChannelType } from '@parley/contracts';
import { ChannelEntity, UserEntity } from '../database/entities';
import type { PagePlan } from '../paging/page-token';
import type { SidKey } from '../paging/keysets';
import type { ChannelChanges } from './channel-rules';
import { isUniqueViolation } from '../persistence/pg-errors';
import { TransactionalRepository } from '../persistence/transactional.repository';

const UNIQUE_NAME = 'uq_channels_service_unique_name';

export function uniqueNameTaken() {
  return Errors.conflict(ErrorCode.ChannelUniqueNameExists, 'Channel with provided unique name already exists');
}

/**
 * Channels in Postgres. Account and service sids are required arguments of every query. Channels are looked up
 * (by sid or unique name, optionally locked) through ScopeRepository with this repository's `manager`.
 */
@Injectable()
export class ChannelsRepository extends TransactionalRepository<ChannelsRepository> {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected fresh(): ChannelsRepository {
    return new ChannelsRepository(this.dataSource);
  }

  async insert(channel: ChannelEntity): Promise<void> {
    try {
      await this.manager.insert(ChannelEntity, channel);
    } catch (err) {
      if (isUniqueViolation(err, UNIQUE_NAME)) throw uniqueNameTaken();
      throw err;
    }
  }

  /** Stores an UpdateChannel's fields only: counters and the message index are other writers' columns. */
  async update(accountSid: string, channel: ChannelEntity, changes: ChannelChanges): Promise<ChannelEntity> {
    try {
      await this.manager.update(ChannelEntity, { accountSid, serviceSid: channel.serviceSid, sid: channel.sid }, changes);
    } catch (err) {
      if (isUniqueViolation(err, UNIQUE_NAME)) throw uniqueNameTaken();
      throw err;
    }
    return { ...channel, ...changes };
  }

  /**
   * Deletes a (locked) channel and, through the foreign keys, its members, messages, invites and webhooks; the
   * members' users lose one joined channel each. Call inside a transaction: the users are locked in sid order
   * so that two channel deletes cannot deadlock on them.
   */
  async deleteWithMembers(accountSid: string, channel: ChannelEntity): Promise<void> {
    const memberUsers = await this.manager
      .createQueryBuilder(UserEntity, 'u')
      .select('u.sid', 'sid')
      .where('u.account_sid = :accountSid AND u.service_sid = :serviceSid', { accountSid, serviceSid: channel.serviceSid })
      .andWhere('u.sid IN (SELECT m.user_sid FROM members m WHERE m.channel_sid = :channelSid AND m.account_sid = :accountSid)', {
        channelSid: channel.sid,
      })
      .orderBy('u.sid')
      .setLock('pessimistic_write')
      .getRawMany<{ sid: string }>();
    if (memberUsers.length > 0) {
      await this.manager
        .createQueryBuilder()
        .update(UserEntity)
        .set({ joinedChannelsCount: () => 'GREATEST(joined_channels_count - 1, 0)' })
        .where('account_sid = :accountSid AND sid IN (:...sids)', { accountSid, sids: memberUsers.map((u) => u.sid) })
        .execute();
    }
    await this.manager.delete(ChannelEntity, { accountSid, serviceSid: channel.serviceSid, sid: channel.sid });
  }

  /** At most `limit` channels of the given types in the plan's scan order (keyset: sid). */
  list(accountSid: string, serviceSid: string, types: ChannelType[], plan: PagePlan<SidKey>, limit: number): Promise<ChannelEntity[]> {
    const qb = this.manager
      .createQueryBuilder(ChannelEntity, 'c')
      .where('c.account_sid = :accountSid AND c.service_sid = :serviceSid', { accountSid, serviceSid })
      .andWhere('c.type IN (:...types)', { types })
      .orderBy('c.sid', plan.order)
      .limit(limit);
    const bound = plan.after ?? plan.before;
    if (bound) qb.andWhere(`c.sid ${plan.after ? '>' : '<'} :bound`, { bound: bound.sid });
    return qb.getMany();
  }
}
