import { twilioDate, type BindingResource } from '@parley/contracts';
import type { BindingEntity } from '../database/entities';

/** A Binding row on the wire (Binding and UserBinding fields); the edge picks its fields and adds `url`/`links`. */
export function presentBinding(row: BindingEntity): BindingResource {
  return {
    sid: row.sid,
    account_sid: row.accountSid,
    service_sid: row.serviceSid,
    date_created: twilioDate(row.dateCreated),
    date_updated: twilioDate(row.dateUpdated),
    endpoint: row.endpoint,
    identity: row.identity,
    user_sid: row.userSid,
    credential_sid: row.credentialSid,
    binding_type: row.bindingType,
    message_types: [...row.messageTypes],
  };
}
