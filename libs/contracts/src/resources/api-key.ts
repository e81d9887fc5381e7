import { z } from 'zod';
import { pageParamsShape } from '../form';
import { sidSchema } from '../sid';

/**
 * `api.v2010.account.key` (Twilio REST API 2010-04-01): RFC 2822 dates, no `uri`.
 * The secret appears only in the create response (`api.v2010.account.new_key`).
 */
export const apiKeyResourceSchema = z.object({
  sid: z.string(),
  friendly_name: z.string().nullable(),
  date_created: z.string(),
  date_updated: z.string(),
});
export type ApiKeyResource = z.infer<typeof apiKeyResourceSchema>;

export const newApiKeyResourceSchema = apiKeyResourceSchema.extend({ secret: z.string() });
export type NewApiKeyResource = z.infer<typeof newApiKeyResourceSchema>;

/** Twilio: "A descriptive string that you create to describe the resource. It can be up to 64 characters long." */
const keyFriendlyName = z.string().max(64);

/** `AccountSid` is the account in the path: the caller's own or one of its subaccounts. */
export const createApiKeyParamsSchema = z.object({
  AccountSid: sidSchema('AC'),
  FriendlyName: keyFriendlyName.optional(),
});

export const apiKeySidParamsSchema = z.object({ AccountSid: sidSchema('AC'), Sid: sidSchema('SK') });

export const updateApiKeyParamsSchema = apiKeySidParamsSchema.extend({ FriendlyName: keyFriendlyName.optional() });

export const listApiKeysParamsSchema = z.object({ AccountSid: sidSchema('AC'), ...pageParamsShape });
