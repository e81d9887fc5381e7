import { z } from 'zod';
import { commonEnvShape, loadConfigOrExit, port } from '@parley/config';

export const SERVICE_NAME = 'message-service';

/** Every `serve()` of this app joins this queue group: exactly one replica answers each command. */
export const QUEUE_GROUP = SERVICE_NAME;

// Messages name the expected shape only: zod never echoes the rejected value, so secrets stay out of the logs.
export const messageConfigSchema = z.object({
  ...commonEnvShape,
  PORT: port(3010),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/parley'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  /**
   * SDK sends per second into one channel, across every socket and gateway (bursts of up to twice that), Twilio's
   * 30 actions/s per channel. Counted in the channel row by the send statement itself.
   */
  CHANNEL_ACTIONS_PER_SECOND: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** The bootstrap account, created (or its token re-hashed) at start. */
  PARLEY_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be "AC" followed by 32 hex characters'),
  PARLEY_AUTH_TOKEN: z.string().regex(/^[A-Za-z0-9]{32,64}$/, 'must be 32 to 64 letters or digits'),
  /** 32-byte server key: AES-256-GCM key of stored secrets and HMAC pepper of auth token hashes. */
  PARLEY_SECRET_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)'),
});
export type MessageConfig = z.infer<typeof messageConfigSchema>;

export const loadMessageConfig = (): MessageConfig => loadConfigOrExit(SERVICE_NAME, messageConfigSchema);
