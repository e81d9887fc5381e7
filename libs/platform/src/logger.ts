import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { type Logger } from 'pino';

export interface LoggerSettings {
  service: string;
  nodeId: string;
  level: string;
}

/** Paths that may carry credentials: never written to logs. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.authToken',
  '*.auth_token',
  '*.token',
  '*.secret',
  '*.apiKeySecret',
  '*.PARLEY_AUTH_TOKEN',
  '*.PARLEY_SECRET_KEY',
  'auth.token',
];

export function createRootLogger(settings: LoggerSettings): Logger {
  return pino({
    level: settings.level,
    base: { service: settings.service, nodeId: settings.nodeId },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  });
}

/** Reuses a caller-supplied request id so one id follows a request across services. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'] ?? req.headers['x-correlation-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : randomUUID();
}
