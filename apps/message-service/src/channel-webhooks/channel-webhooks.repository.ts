import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ChannelEntity, ChannelWebhookEntity } from '../database/entities';
import type { PagePlan } from '../paging/page-token';
import type { SidKey } from '../paging/keysets';
import { TransactionalRepository } from '../persistence/transactional.repository';

/** Channel Webhooks; account sid is a required argument of every query. */
@Injectable()
export class ChannelWebhooksRepository extends TransactionalRepository<ChannelWebhooksRepository> {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected fresh(): ChannelWebhooksRepository {
    return new ChannelWebhooksRepository(this.dataSource);
  }

  async insert(webhook: ChannelWebhookEntity): Promise<void> {
    await this.manager.insert(ChannelWebhookEntity, webhook);
  }

  findBySid(accountSid: string, channel: ChannelEntity, sid: string, opts: { lock?: boolean } = {}): Promise<ChannelWebhookEntity | null> {
    return this.manager.findOne(ChannelWebhookEntity, {
      where: { accountSid, serviceSid: channel.serviceSid, channelSid: channel.sid, sid },
      ...(opts.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  async update(webhook: ChannelWebhookEntity): Promise<void> {
    await this.manager.update(
      ChannelWebhookEntity,
      { accountSid: webhook.accountSid, channelSid: webhook.channelSid, sid: webhook.sid },
      { configuration: webhook.configuration, dateUpdated: webhook.dateUpdated },
    );
  }

  async delete(accountSid: string, channel: ChannelEntity, sid: string): Promise<boolean> {
    const result = await this.manager.delete(ChannelWebhookEntity, { accountSid, serviceSid: channel.serviceSid, channelSid: channel.sid, sid });
    return (result.affected ?? 0) > 0;
  }

  list(accountSid: string, channel: ChannelEntity, plan: PagePlan<SidKey>, limit: number): Promise<ChannelWebhookEntity[]> {
    const qb = this.manager
      .createQueryBuilder(ChannelWebhookEntity, 'w')
      .where('w.account_sid = :accountSid AND w.service_sid = :serviceSid AND w.channel_sid = :channelSid', {
        accountSid,
        serviceSid: channel.serviceSid,
        channelSid: channel.sid,
      })
      .orderBy('w.sid', plan.order)
      .limit(limit);
    const bound = plan.after ?? plan.before;
    if (bound) qb.andWhere(`w.sid ${plan.after ? '>' : '<'} :bound`, { bound: bound.sid });
    return qb.getMany();
  }
}
