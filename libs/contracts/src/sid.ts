import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Sid prefixes of every Parley resource (chat-v2-surface.md, "SID prefixes"). */
export const SidPrefix = {
  account: 'AC',
  apiKey: 'SK',
  service: 'IS',
  role: 'RL',
  user: 'US',
  channel: 'CH',
  member: 'MB',
  message: 'IM',
  invite: 'IN',
  binding: 'BS',
  credential: 'CR',
  webhook: 'WH',
} as const;
export type SidPrefix = (typeof SidPrefix)[keyof typeof SidPrefix];

export function newSid(prefix: SidPrefix): string {
  return prefix + randomBytes(16).toString('hex');
}

export function isSid(value: unknown, prefix: SidPrefix): value is string {
  return typeof value === 'string' && value.length === 34 && value.startsWith(prefix) && /^[0-9a-fA-F]{32}$/.test(value.slice(2));
}

export const sidSchema = (prefix: SidPrefix) =>
  z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be a ${prefix} sid`);
