import { ChannelEntity, type NotificationLevel } from '../database/entities';
import { RowMapper } from '../persistence/rows';
import type { ViewerRelation } from './channel-views.repository';

/** A channel's columns in the prepared statements (persistence/rows.ts). */
export const CHANNEL_ROWS = new RowMapper(ChannelEntity, [
  'sid',
  'account_sid',
  'service_sid',
  'friendly_name',
  'unique_name',
  'attributes',
  'type',
  'created_by',
  'members_count',
  'messages_count',
  'next_message_index',
  'last_message_sid',
  'last_message_index',
  'last_message_date',
  'date_created',
  'date_updated',
]);

/** The viewer's member row (`vm`) and invite (`vi`) beside a channel's columns, read back by relationOf. */
export const VIEWER_COLUMNS = `vm.sid AS v_member_sid, vm.last_consumed_message_index AS v_last_consumed,
           vm.notification_level AS v_notification_level, vi.sid AS v_invite_sid`;

/** The viewer's unread messages (`c` the channel, `vm` its member row), exact as a UserChannel's: counted on the (channel_sid, index) unique index. */
export const UNREAD_COUNT = `CASE WHEN vm.last_consumed_message_index IS NULL THEN NULL
  ELSE (SELECT count(*)::int FROM messages x
         WHERE x.account_sid = c.account_sid AND x.channel_sid = c.sid AND x.index > vm.last_consumed_message_index) END`;

export interface RelationColumns {
  v_member_sid: string | null;
  v_last_consumed: number | null;
  v_notification_level: NotificationLevel | null;
  v_unread: number | null;
  v_invite_sid: string | null;
}

export function relationOf(columns: RelationColumns): ViewerRelation {
  return {
    memberSid: columns.v_member_sid,
    lastConsumedMessageIndex: columns.v_last_consumed,
    notificationLevel: columns.v_notification_level,
    unreadMessagesCount: columns.v_unread,
    invited: columns.v_invite_sid !== null,
  };
}
