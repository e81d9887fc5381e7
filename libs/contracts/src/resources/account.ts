import { z } from 'zod';

export const authenticateRequestSchema = z.object({
  username: z.string().max(64),
  password: z.string().max(256),
});

/** Who a set of Basic credentials belongs to. */
export const principalSchema = z.object({
  accountSid: z.string(),
  via: z.enum(['auth_token', 'api_key']),
});
export type Principal = z.infer<typeof principalSchema>;
