import { rfc2822Date, type AccountResource } from '@parley/contracts';
import type { AccountEntity } from '../database/entities';

/**
 * An account row as `api.v2010.account` on the wire; the edge adds `uri` and `subresource_uris`.
 * `authToken` is the clear token opened from the row's sealed copy (null when it cannot be opened).
 */
export function presentAccount(row: AccountEntity, authToken: string | null): AccountResource {
  return {
    auth_token: authToken,
    date_created: rfc2822Date(row.dateCreated),
    date_updated: rfc2822Date(row.dateUpdated),
    friendly_name: row.friendlyName,
    owner_account_sid: row.ownerAccountSid ?? row.sid,
    sid: row.sid,
    status: row.status,
    type: row.type,
  };
}
