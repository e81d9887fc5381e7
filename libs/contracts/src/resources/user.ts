import { z } from 'zod';
import { formBoolean, jsonAttributes, pageParamsShape } from '../form';
import { sidSchema } from '../sid';

/** Twilio's limit on a User's `attributes` JSON. */
export const USER_ATTRIBUTES_MAX_BYTES = 16 * 1024;
/** Longest identity Parley stores (the caller envelope and the Access Token grant use the same bound). */
export const USER_IDENTITY_MAX_LENGTH = 256;

/**
 * `chat.v2.service.user` on the wire between services: Twilio's fields without `url`/`links` (the edge adds them).
 * `is_online` / `is_notifiable` are null on lists and while the Service's reachability is off.
 */
export const userResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  service_sid: z.string(),
  attributes: z.string().nullable(),
  friendly_name: z.string().nullable(),
  role_sid: z.string().nullable(),
  identity: z.string(),
  is_online: z.boolean().nullable(),
  is_notifiable: z.boolean().nullable(),
  date_created: z.string(),
  date_updated: z.string(),
  joined_channels_count: z.number().int(),
});
export type UserResource = z.infer<typeof userResourceSchema>;

/** The optional `X-Twilio-Webhook-Enabled` header, carried as a parameter: accepted, not acted on yet. */
const webhookEnabledShape = { 'X-Twilio-Webhook-Enabled': formBoolean.optional() };

/** A user is addressed by sid or identity (`/Users/{Sid}` accepts both). */
const userKeySchema = z.string().min(1).max(USER_IDENTITY_MAX_LENGTH);

export const createUserParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  Identity: z.string().min(1).max(USER_IDENTITY_MAX_LENGTH),
  RoleSid: sidSchema('RL').optional(),
  Attributes: jsonAttributes(USER_ATTRIBUTES_MAX_BYTES).optional(),
  FriendlyName: z.string().max(256).optional(),
  ...webhookEnabledShape,
});
export type CreateUserParams = z.infer<typeof createUserParamsSchema>;

export const updateUserParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  Sid: userKeySchema,
  RoleSid: sidSchema('RL').optional(),
  Attributes: jsonAttributes(USER_ATTRIBUTES_MAX_BYTES).optional(),
  FriendlyName: z.string().max(256).optional(),
  ...webhookEnabledShape,
});
export type UpdateUserParams = z.infer<typeof updateUserParamsSchema>;

export const userKeyParamsSchema = z.object({ ServiceSid: sidSchema('IS'), Sid: userKeySchema });

export const listUserParamsSchema = z.object({ ServiceSid: sidSchema('IS'), ...pageParamsShape });
