import { twilioDate, type MemberResource } from '@parley/contracts';
import type { MemberEntity } from '../database/entities';

/** A Member row as `chat.v2.service.channel.member` on the wire; the REST edge adds `url`. */
export function presentMember(row: MemberEntity): MemberResource {
  return {
    sid: row.sid,
    account_sid: row.accountSid,
    channel_sid: row.channelSid,
    service_sid: row.serviceSid,
    identity: row.identity,
    date_created: twilioDate(row.dateCreated),
    date_updated: twilioDate(row.dateUpdated),
    role_sid: row.roleSid,
    last_consumed_message_index: row.lastConsumedMessageIndex,
    last_consumption_timestamp: row.lastConsumptionTimestamp ? twilioDate(row.lastConsumptionTimestamp) : null,
    attributes: row.attributes,
  };
}
