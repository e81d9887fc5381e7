import { twilioDate, type CredentialResource } from '@parley/contracts';
import type { CredentialEntity } from '../database/entities';

/**
 * Twilio's schema types `sandbox` as a string and its examples render it `"False"` (the Python spelling of the
 * stored boolean), so that is what clients written against Twilio compare with.
 */
export function renderSandbox(sandbox: boolean): string {
  return sandbox ? 'True' : 'False';
}

/** A Credential row as `chat.v2.credential` on the wire (the edge adds `url`). Secret material never leaves. */
export function presentCredential(row: CredentialEntity): CredentialResource {
  return {
    sid: row.sid,
    account_sid: row.accountSid,
    friendly_name: row.friendlyName,
    type: row.type,
    sandbox: renderSandbox(row.sandbox),
    date_created: twilioDate(row.dateCreated),
    date_updated: twilioDate(row.dateUpdated),
  };
}
