import { z } from 'zod';
import { formBoolean, pageParamsShape } from '../form';
import { sidSchema } from '../sid';

export const CREDENTIAL_TYPES = ['gcm', 'apn', 'fcm'] as const;

/**
 * `chat.v2.credential` on the wire between services, without `url`. `sandbox` is a string in Twilio's schema
 * (its examples render `"False"`), never the secret material.
 */
export const credentialResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  friendly_name: z.string().nullable(),
  type: z.enum(CREDENTIAL_TYPES),
  sandbox: z.string().nullable(),
  date_created: z.string(),
  date_updated: z.string(),
});
export type CredentialResource = z.infer<typeof credentialResourceSchema>;

/** PEM blocks and server keys: bounded so one request cannot make us store megabytes. */
const secret = z.string().min(1).max(16 * 1024);

const credentialSettingsShape = {
  FriendlyName: z.string().max(64).optional(),
  Certificate: secret.optional(),
  PrivateKey: secret.optional(),
  Sandbox: formBoolean.optional(),
  ApiKey: secret.optional(),
  Secret: secret.optional(),
};

export const createCredentialParamsSchema = z.object({ Type: z.enum(CREDENTIAL_TYPES), ...credentialSettingsShape });
export type CreateCredentialParams = z.infer<typeof createCredentialParamsSchema>;

export const updateCredentialParamsSchema = z.object({ Sid: sidSchema('CR'), ...credentialSettingsShape });
export type UpdateCredentialParams = z.infer<typeof updateCredentialParamsSchema>;

export const credentialSidParamsSchema = z.object({ Sid: sidSchema('CR') });

export const listCredentialParamsSchema = z.object({ ...pageParamsShape });
