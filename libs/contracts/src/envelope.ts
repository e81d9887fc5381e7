import { z } from 'zod';
import type { ErrorBody } from './errors';
import { sidSchema } from './sid';

/**
 * Who is asking. `system` is a REST call with account credentials (no role checks);
 * `user` is an SDK call on behalf of an identity (role permissions apply).
 */
export const actorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('system') }),
  z.object({
    kind: z.literal('user'),
    identity: z.string().min(1).max(256),
    /**
     * The session's service role (`session.open`'s `roleSid`: the Access Token's `deployment_role_sid`, which
     * overrides the User's stored role for that session). Absent: the User's stored role applies.
     */
    roleSid: sidSchema('RL').optional(),
  }),
]);
export type Actor = z.infer<typeof actorSchema>;

export const callerSchema = z.object({
  accountSid: sidSchema('AC'),
  serviceSid: sidSchema('IS').optional(),
  actor: actorSchema,
  requestId: z.string().min(1).max(128),
});
export type Caller = z.infer<typeof callerSchema>;

export type Reply<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export const errorBodySchema = z.object({
  code: z.number().int(),
  message: z.string(),
  status: z.number().int(),
});
