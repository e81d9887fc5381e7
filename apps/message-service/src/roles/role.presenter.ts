import { twilioDate, type RoleResource } from '@parley/contracts';
import type { RoleEntity } from '../database/entities';

/** A Role row as `chat.v2.service.role` on the wire; the edge adds `url`. */
export function presentRole(row: RoleEntity): RoleResource {
  return {
    sid: row.sid,
    account_sid: row.accountSid,
    service_sid: row.serviceSid,
    friendly_name: row.friendlyName,
    type: row.type,
    permissions: [...row.permissions],
    date_created: twilioDate(row.dateCreated),
    date_updated: twilioDate(row.dateUpdated),
  };
}
