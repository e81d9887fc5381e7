import type { UserChannelResource } from '@parley/contracts';
import type { UserEntity } from '../database/entities';
import type { UserChannelRow } from './user-channels.repository';

/** One of a User's Channels as `chat.v2.service.user.user_channel` on the wire; the REST edge adds `url`/`links`. */
export function presentUserChannel(user: UserEntity, row: UserChannelRow): UserChannelResource {
  return {
    account_sid: user.accountSid,
    service_sid: user.serviceSid,
    channel_sid: row.channel_sid,
    user_sid: user.sid,
    member_sid: row.member_sid,
    status: row.status,
    last_consumed_message_index: row.last_consumed_message_index,
    unread_messages_count: row.unread_messages_count,
    notification_level: row.notification_level,
  };
}
