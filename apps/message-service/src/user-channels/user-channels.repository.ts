import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UserEntity } from '../database/entities';
import type { PagePlan } from '../paging/page-token';
import { TransactionalRepository } from '../persistence/transactional.repository';

/** One entry of a User's Channels: a membership (`joined`) or a pending invite (`invited`). */
export interface UserChannelRow {
  channel_sid: string;
  member_sid: string | null;
  status: 'joined' | 'invited';
  last_consumed_message_index: number | null;
  notification_level: 'default' | 'muted';
  unread_messages_count: number | null;
}

export interface ChannelSidKey {
  channelSid: string;
}

/*
 * Memberships, then invites to channels the user is not a member of. The unread count is exact: the messages
 * after the horizon, counted on the (channel_sid, index) unique index; null while no horizon is set.
 */
const USER_CHANNELS = `
  SELECT m.channel_sid, m.sid AS member_sid, 'joined' AS status, m.last_consumed_message_index, m.notification_level,
         CASE WHEN m.last_consumed_message_index IS NULL THEN NULL
              ELSE (SELECT count(*)::int FROM messages x
                     WHERE x.account_sid = m.account_sid AND x.channel_sid = m.channel_sid
                       AND x.index > m.last_consumed_message_index)
         END AS unread_messages_count
    FROM members m
   WHERE m.account_sid = $1 AND m.service_sid = $2 AND m.user_sid = $3
  UNION ALL
  SELECT i.channel_sid, NULL, 'invited', NULL, 'default', NULL
    FROM invites i
   WHERE i.account_sid = $1 AND i.service_sid = $2 AND i.identity = $4
     AND NOT EXISTS (SELECT 1 FROM members m2 WHERE m2.user_sid = $3 AND m2.channel_sid = i.channel_sid)`;

/** A User's Channels, read-only (changes go through Members and Invites). */
@Injectable()
export class UserChannelsRepository extends TransactionalRepository<UserChannelsRepository> {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected fresh(): UserChannelsRepository {
    return new UserChannelsRepository(this.dataSource);
  }

  /** At most `limit` entries in the plan's scan order (keyset: channel sid). */
  list(accountSid: string, user: UserEntity, plan: PagePlan<ChannelSidKey>, limit: number): Promise<UserChannelRow[]> {
    const params: unknown[] = [accountSid, user.serviceSid, user.sid, user.identity];
    const bound = plan.after ?? plan.before;
    let where = '';
    if (bound) {
      params.push(bound.channelSid);
      where = `WHERE uc.channel_sid ${plan.after ? '>' : '<'} $${params.length}`;
    }
    params.push(limit);
    return this.manager.query(
      `SELECT uc.* FROM (${USER_CHANNELS}) uc ${where} ORDER BY uc.channel_sid ${plan.order} LIMIT $${params.length}`,
      params,
    );
  }

  async find(accountSid: string, user: UserEntity, channelSid: string): Promise<UserChannelRow | null> {
    const rows: UserChannelRow[] = await this.manager.query(`SELECT uc.* FROM (${USER_CHANNELS}) uc WHERE uc.channel_sid = $5`, [
      accountSid,
      user.serviceSid,
      user.sid,
      user.identity,
      channelSid,
    ]);
    return rows[0] ?? null;
  }

  /** Channel sids of the user's memberships and of its pending invites (unpaged: bounded by the Service limits). */
  async channelSidsOf(accountSid: string, user: UserEntity): Promise<{ joined: string[]; invited: string[] }> {
    const rows: { channel_sid: string; status: 'joined' | 'invited' }[] = await this.manager.query(
      `SELECT m.channel_sid, 'joined' AS status FROM members m
        WHERE m.account_sid = $1 AND m.service_sid = $2 AND m.user_sid = $3
       UNION ALL
       SELECT i.channel_sid, 'invited' FROM invites i
        WHERE i.account_sid = $1 AND i.service_sid = $2 AND i.identity = $4
          AND NOT EXISTS (SELECT 1 FROM members m2 WHERE m2.user_sid = $3 AND m2.channel_sid = i.channel_sid)
       ORDER BY 1`,
      [accountSid, user.serviceSid, user.sid, user.identity],
    );
    return {
      joined: rows.filter((r) => r.status === 'joined').map((r) => r.channel_sid),
      invited: rows.filter((r) => r.status === 'invited').map((r) => r.channel_sid),
    };
  }
}
