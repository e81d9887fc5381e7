import { z } from 'zod';
import { commonEnvShape, loadConfigOrExit, port, redisEnvShape } from '@parley/config';

export const SERVICE_NAME = 'realtime-gateway';
/** NATS queue group of the gateway replicas: exactly one replica handles each domain event. */
export const QUEUE_GROUP = 'realtime-gateway';

export const realtimeConfigSchema = z.object({
  ...commonEnvShape,
  ...redisEnvShape,
  PORT: port(3001),
  /** How long before expiry the SDK is told `tokenAboutToExpire` (capped at half the token's lifetime). */
  TOKEN_EXPIRY_WARNING_SECONDS: z.coerce.number().int().min(1).max(3600).default(180),
  /** Commands per second one socket may send (burst twice that), Twilio's 30 actions/s. */
  SOCKET_COMMANDS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(30),
});
export type RealtimeConfig = z.infer<typeof realtimeConfigSchema>;

export const loadRealtimeConfig = (): RealtimeConfig => loadConfigOrExit(SERVICE_NAME, realtimeConfigSchema);
