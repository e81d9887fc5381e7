import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode, Errors } from '@parley/contracts';
import { type ChannelEntity, InviteEntity } from '../database/entities';
import type { PagePlan } from '../paging/page-token';
import type { SidKey } from '../paging/keysets';
import { isUniqueViolation } from '../persistence/pg-errors';
import { TransactionalRepository } from '../persistence/transactional.repository';

export function alreadyInvited() {
  return Errors.conflict(ErrorCode.UserAlreadyInvited, 'User already invited');
}

/** Invites of identities to channels; account sid is a required argument of every query. */
@Injectable()
export class InvitesRepository extends TransactionalRepository<InvitesRepository> {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected fresh(): InvitesRepository {
    return new InvitesRepository(this.dataSource);
  }

  async insert(invite: InviteEntity): Promise<void> {
    try {
      await this.manager.insert(InviteEntity, invite);
    } catch (err) {
      if (isUniqueViolation(err, 'uq_invites_channel_identity')) throw alreadyInvited();
      throw err;
    }
  }

  findBySid(accountSid: string, channel: ChannelEntity, sid: string): Promise<InviteEntity | null> {
    return this.manager.findOne(InviteEntity, { where: { accountSid, serviceSid: channel.serviceSid, channelSid: channel.sid, sid } });
  }

  findByIdentity(accountSid: string, channel: ChannelEntity, identity: string): Promise<InviteEntity | null> {
    return this.manager.findOne(InviteEntity, { where: { accountSid, serviceSid: channel.serviceSid, channelSid: channel.sid, identity } });
  }

  /** True when this call deleted it (a concurrent delete makes the other one a 404). */
  async delete(invite: InviteEntity): Promise<boolean> {
    const result = await this.manager.delete(InviteEntity, { accountSid: invite.accountSid, channelSid: invite.channelSid, sid: invite.sid });
    return (result.affected ?? 0) > 0;
  }

  list(accountSid: string, channel: ChannelEntity, identities: string[] | undefined, plan: PagePlan<SidKey>, limit: number): Promise<InviteEntity[]> {
    const qb = this.manager
      .createQueryBuilder(InviteEntity, 'i')
      .where('i.account_sid = :accountSid AND i.service_sid = :serviceSid AND i.channel_sid = :channelSid', {
        accountSid,
        serviceSid: channel.serviceSid,
        channelSid: channel.sid,
      })
      .orderBy('i.sid', plan.order)
      .limit(limit);
    if (identities && identities.length > 0) qb.andWhere('i.identity IN (:...identities)', { identities });
    const bound = plan.after ?? plan.before;
    if (bound) qb.andWhere(`i.sid ${plan.after ? '>' : '<'} :bound`, { bound: bound.sid });
    return qb.getMany();
  }
}
