import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Variables every service understands. */
export const commonEnvShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: logLevel.default('info'),
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, "_", "-" and "." only (max 64)')
    .optional(),
  NATS_URL: z.string().regex(/^(nats|tls|ws|wss):\/\//, 'must be a nats:// URL (comma-separate several)').default('nats://127.0.0.1:4222'),
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'one NATS token: letters, digits, "_" and "-"')
    .optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
};

export const redisEnvShape = {
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').default('redis://127.0.0.1:6379'),
  REDIS_KEY_PREFIX: z.string().max(64).default('parley:'),
};

/**
 * A human-readable node id, new on every boot: in a container the pid is always 1, so a restarted
 * process must not inherit the id (and the presence liveness key) of the one that died.
 */
export function resolveNodeId(service: string, configured: string | undefined): string {
  return configured ?? `${service}-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
