import { twilioDate, type UserResource } from '@parley/contracts';
import type { UserEntity } from '../database/entities';

/** `is_online` / `is_notifiable` of one user; both null when unknown (see UsersService.reachabilityOf). */
export interface Reachability {
  is_online: boolean | null;
  is_notifiable: boolean | null;
}

export const UNKNOWN_REACHABILITY: Reachability = { is_online: null, is_notifiable: null };

/** A User row as `chat.v2.service.user` on the wire; the edge adds `url` and `links`. */
export function presentUser(row: UserEntity, reachability: Reachability = UNKNOWN_REACHABILITY): UserResource {
  return {
    sid: row.sid,
    account_sid: row.accountSid,
    service_sid: row.serviceSid,
    attributes: row.attributes,
    friendly_name: row.friendlyName,
    role_sid: row.roleSid,
    identity: row.identity,
    is_online: reachability.is_online,
    is_notifiable: reachability.is_notifiable,
    date_created: twilioDate(row.dateCreated),
    date_updated: twilioDate(row.dateUpdated),
    joined_channels_count: row.joinedChannelsCount,
  };
}
