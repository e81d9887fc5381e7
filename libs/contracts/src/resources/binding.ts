import { z } from 'zod';
import { formStringArray, pageParamsShape } from '../form';
import { sidSchema } from '../sid';
import { USER_IDENTITY_MAX_LENGTH } from './user';

const identity = z.string().min(1).max(USER_IDENTITY_MAX_LENGTH);
/** A user in a path: its sid or its identity. */
const userKey = identity;

export const BINDING_TYPES = ['gcm', 'apn', 'fcm'] as const;
export type BindingType = (typeof BINDING_TYPES)[number];

/** The Chat push notification types a binding can subscribe to (Twilio's push-types); all of them by default. */
export const PUSH_MESSAGE_TYPES = ['new_message', 'added_to_channel', 'removed_from_channel', 'invited_to_channel'] as const;

/**
 * A push Binding on the wire between services: the fields of `chat.v2.service.binding` and
 * `chat.v2.service.user.user_binding` together (the edge drops `user_sid` from a Binding and adds `url`/`links`).
 */
export const bindingResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  service_sid: z.string(),
  date_created: z.string(),
  date_updated: z.string(),
  endpoint: z.string(),
  identity: z.string(),
  user_sid: z.string(),
  credential_sid: z.string().nullable(),
  binding_type: z.enum(BINDING_TYPES),
  message_types: z.array(z.string()),
});
export type BindingResource = z.infer<typeof bindingResourceSchema>;

const bindingTypeFilter = formStringArray(z.enum(BINDING_TYPES)).optional();

export const listBindingParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  BindingType: bindingTypeFilter,
  Identity: formStringArray(identity).optional(),
  ...pageParamsShape,
});
export type ListBindingParams = z.infer<typeof listBindingParamsSchema>;

export const bindingSidParamsSchema = z.object({ ServiceSid: sidSchema('IS'), Sid: sidSchema('BS') });

export const listUserBindingParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  UserSid: userKey,
  BindingType: bindingTypeFilter,
  ...pageParamsShape,
});
export type ListUserBindingParams = z.infer<typeof listUserBindingParamsSchema>;

export const userBindingSidParamsSchema = z.object({ ServiceSid: sidSchema('IS'), UserSid: userKey, Sid: sidSchema('BS') });

/** Device token / registration id: what Twilio's SDKs register and Chat returns as the binding's `endpoint`. */
const endpoint = z.string().min(1).max(4096);

/**
 * Push registration from the SDK (no REST create exists). Upserts on (service, endpoint, binding type): a device
 * that registers under another identity takes the binding over. `Identity` defaults to the caller's identity for a
 * user actor (and must match it); a system caller names it. `Address` is accepted as another name for `Endpoint`.
 */
export const registerBindingParamsSchema = z
  .object({
    ServiceSid: sidSchema('IS'),
    Identity: identity.optional(),
    BindingType: z.enum(BINDING_TYPES),
    Endpoint: endpoint.optional(),
    Address: endpoint.optional(),
    CredentialSid: sidSchema('CR').optional(),
    MessageTypes: formStringArray(z.enum(PUSH_MESSAGE_TYPES)).optional(),
  })
  .refine((p) => p.Endpoint !== undefined || p.Address !== undefined, { message: 'Endpoint is required', path: ['Endpoint'] });
export type RegisterBindingParams = z.infer<typeof registerBindingParamsSchema>;

/** Removes the identity's binding of that type for one endpoint, or all of them when no endpoint is given. */
export const unregisterBindingParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  Identity: identity.optional(),
  BindingType: z.enum(BINDING_TYPES),
  Endpoint: endpoint.optional(),
  Address: endpoint.optional(),
});
export type UnregisterBindingParams = z.infer<typeof unregisterBindingParamsSchema>;

export const unregisterBindingReplySchema = z.object({ removed: z.number().int() });
