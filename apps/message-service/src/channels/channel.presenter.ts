import { twilioDate, type ChannelMembership, type ChannelResource } from '@parley/contracts';
import type { ChannelEntity } from '../database/entities';
import type { ViewerRelation } from './channel-views.repository';

/**
 * A Channel row as `chat.v2.service.channel` on the wire; the REST edge adds `url` and `links`. With the reading
 * SDK user's relation to it, the resource carries that user's `membership` (never in events: they go to everyone).
 */
export function presentChannel(row: ChannelEntity, relation?: ViewerRelation): ChannelResource {
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
    ...(relation && { membership: presentMembership(relation) }),
  };
}

/** A membership is `joined`; an invite without one `invited`; neither `notParticipating`. */
export function presentMembership(relation: ViewerRelation): ChannelMembership {
  if (relation.memberSid !== null) {
    return {
      status: 'joined',
      last_consumed_message_index: relation.lastConsumedMessageIndex,
      member_sid: relation.memberSid,
      unread_messages_count: relation.unreadMessagesCount,
      notification_level: relation.notificationLevel ?? 'default',
    };
  }
  return {
    status: relation.invited ? 'invited' : 'notParticipating',
    last_consumed_message_index: null,
    member_sid: null,
    unread_messages_count: null,
    notification_level: null,
  };
}

/** The relation of a user to a channel it has nothing to do with (e.g. the one it just created). */
export const NOT_PARTICIPATING: ViewerRelation = {
  memberSid: null,
  lastConsumedMessageIndex: null,
  notificationLevel: null,
  unreadMessagesCount: null,
  invited: false,
};
