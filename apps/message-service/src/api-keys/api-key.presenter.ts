import { rfc2822Date, type ApiKeyResource } from '@parley/contracts';
import type { ApiKeyEntity } from '../database/entities';

/** An API key row as `api.v2010.account.key`: never its secret (that is shown once, by create). */
export function presentApiKey(row: ApiKeyEntity): ApiKeyResource {
  return {
    sid: row.sid,
    friendly_name: row.friendlyName,
    date_created: rfc2822Date(row.dateCreated),
    date_updated: rfc2822Date(row.dateUpdated),
  };
}
