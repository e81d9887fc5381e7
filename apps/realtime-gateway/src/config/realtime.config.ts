import { z } from 'zod';
import { commonEnvShape, loadConfigOrExit, port, redisEnvShape } from '@parley/config';

export const SERVICE_NAME = 'realtime-gateway';

export const realtimeConfigSchema = z.object({
  ...commonEnvShape,
  ...redisEnvShape,
  PORT: port(3001),
});
export type RealtimeConfig = z.infer<typeof realtimeConfigSchema>;

export const loadRealtimeConfig = (): RealtimeConfig => loadConfigOrExit(SERVICE_NAME, realtimeConfigSchema);
