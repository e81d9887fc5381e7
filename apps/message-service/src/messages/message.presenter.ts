import { twilioDate, type MessageResource } from '@parley/contracts';
import type { MessageEntity } from '../database/entities';

/** A Message row as `chat.v2.service.channel.message` on the wire (and in its events); the edge adds `url`. */
export function presentMessage(row: MessageEntity): MessageResource {
  return {
    sid: row.sid,
    account_sid: row.accountSid,
    attributes: row.attributes,
    service_sid: row.serviceSid,
    to: row.toSid,
    channel_sid: row.channelSid,
    date_created: twilioDate(row.dateCreated),
    date_updated: twilioDate(row.dateUpdated),
    last_updated_by: row.lastUpdatedBy,
    was_edited: row.wasEdited,
    from: row.author,
    body: row.body,
    index: row.index,
    type: row.type,
    media: row.media ? { sid: row.media.sid, size: row.media.size, content_type: row.media.content_type, filename: row.media.filename } : null,
  };
}
