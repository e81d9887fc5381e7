import { z } from 'zod';
import { pageParamsShape } from '../form';
import { sidSchema } from '../sid';

/** `chat.v2.service.role` on the wire between services: Twilio's fields without `url` (the edge adds it). */
export const roleResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  service_sid: z.string(),
  friendly_name: z.string(),
  type: z.enum(['channel', 'deployment']),
  permissions: z.array(z.string()),
  date_created: z.string(),
  date_updated: z.string(),
});
export type RoleResource = z.infer<typeof roleResourceSchema>;

/*
 * `Type` and `Permission` are plain strings here on purpose: Twilio answers a wrong type with 50105 and an unknown
 * permission with 50104 (not the generic 20001), and which permissions are valid depends on the role's scope.
 * message-service checks both (apps/message-service/src/permissions).
 */
// A repeated form key arrives as an array, a single one as a string. Not formStringArray: a missing Permission must
// read as "Missing required parameter" (an array check on undefined), not as a failed union.
const permissions = z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.string().min(1).max(64)).min(1).max(64));

export const createRoleParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  FriendlyName: z.string().min(1).max(64),
  Type: z.string().min(1).max(32),
  Permission: permissions,
});
export type CreateRoleParams = z.infer<typeof createRoleParamsSchema>;

export const updateRoleParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  Sid: sidSchema('RL'),
  Permission: permissions,
});
export type UpdateRoleParams = z.infer<typeof updateRoleParamsSchema>;

export const roleSidParamsSchema = z.object({ ServiceSid: sidSchema('IS'), Sid: sidSchema('RL') });

export const listRoleParamsSchema = z.object({ ServiceSid: sidSchema('IS'), ...pageParamsShape });
