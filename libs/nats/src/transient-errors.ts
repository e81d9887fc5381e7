/**
 * Whether a command failed because a dependency is down or restarting (Postgres refusing or dropping connections,
 * a socket reset), not because of the request or a bug. Such a failure is answered 503 (Twilio's 20503), which
 * callers may retry — the SDK resends idempotent commands with the same payload — instead of a 500.
 */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTCONN',
  // Postgres: admin_shutdown, crash_shutdown, cannot_connect_now, connection_exception family, too_many_connections.
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);
// node-postgres' own words for a connection that went away (these errors carry no code).
const TRANSIENT_MESSAGES = [/^Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i];

export function isTransientDependencyError(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && TRANSIENT_MESSAGES.some((re) => re.test(e.message as string))) return true;
  // TypeORM's QueryFailedError wraps the driver's error; AggregateError (dual-stack connects) holds several.
  if (isTransientDependencyError(e.driverError, depth + 1) || isTransientDependencyError(e.cause, depth + 1)) return true;
  return Array.isArray(e.errors) && e.errors.some((inner) => isTransientDependencyError(inner, depth + 1));
}
