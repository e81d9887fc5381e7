import { z } from 'zod';
import { commonEnvShape, loadConfigOrExit, port, redisEnvShape } from '@parley/config';

export const SERVICE_NAME = 'presence-service';

export const presenceConfigSchema = z.object({
  ...commonEnvShape,
  ...redisEnvShape,
  PORT: port(3020),
  PRESENCE_NODE_TTL_MS: z.coerce.number().int().min(1_000).max(120_000).default(10_000),
});
export type PresenceConfig = z.infer<typeof presenceConfigSchema>;

export const loadPresenceConfig = (): PresenceConfig => loadConfigOrExit(SERVICE_NAME, presenceConfigSchema);
