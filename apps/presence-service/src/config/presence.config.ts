import { z } from 'zod';
import { commonEnvShape, loadConfigOrExit, port, redisEnvShape } from '@parley/config';

export const SERVICE_NAME = 'presence-service';
/** NATS queue group of the presence replicas: exactly one replica handles each command. */
export const QUEUE_GROUP = SERVICE_NAME;

export const presenceConfigSchema = z.object({
  ...commonEnvShape,
  ...redisEnvShape,
  PORT: port(3020),
  /**
   * A gateway node's liveness TTL: a crashed node's connections are removed this long after its last heartbeat
   * (plus at most one sweep interval, a quarter of it). Gateways beat three times per TTL; a clean shutdown keeps
   * the node's connections this long for its users to reconnect elsewhere.
   */
  PRESENCE_NODE_TTL_MS: z.coerce.number().int().min(1_000).max(120_000).default(10_000),
});
export type PresenceConfig = z.infer<typeof presenceConfigSchema>;

export const loadPresenceConfig = (): PresenceConfig => loadConfigOrExit(SERVICE_NAME, presenceConfigSchema);
