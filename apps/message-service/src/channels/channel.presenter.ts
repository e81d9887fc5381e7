import { twilioDate, type ChannelResource } from '@parley/contracts';
import type { ChannelEntity } from '../database/entities';

/** A Channel row as `chat.v2.service.channel` on the wire; the REST edge adds `url` and `links`. */
export function presentChannel(row: ChannelEntity): ChannelResource {
  return {
    sid: row.sid,
    account_sid: row.accountSid,
    service_sid: row.serviceSid,
    friendly_name: row.friendlyName,
    unique_name: row.uniqueName,
    attributes: row.attributes,
    type: row.type,
    date_created: twilioDate(row.dateCreated),
    date_updated: twilioDate(row.dateUpdated),
    created_by: row.createdBy,
    members_count: row.membersCount,
    messages_count: row.messagesCount,
    last_message:
      row.lastMessageSid === null
        ? null
        : {
            sid: row.lastMessageSid,
            index: row.lastMessageIndex ?? 0,
            date_created: row.lastMessageDate ? twilioDate(row.lastMessageDate) : null,
          },
  };
}
