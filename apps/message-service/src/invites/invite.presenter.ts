import { twilioDate, type InviteResource } from '@parley/contracts';
import type { InviteEntity } from '../database/entities';

/** An Invite row as `chat.v2.service.channel.invite` on the wire; the REST edge adds `url`. */
export function presentInvite(row: InviteEntity): InviteResource {
  return {
    sid: row.sid,
    account_sid: row.accountSid,
    channel_sid: row.channelSid,
    service_sid: row.serviceSid,
    identity: row.identity,
    date_created: twilioDate(row.dateCreated),
    date_updated: twilioDate(row.dateUpdated),
    role_sid: row.roleSid,
    created_by: row.createdBy,
  };
}
