import { randomFillSync } from 'node:crypto';
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

/*
 * Sid entropy is drawn from the CSPRNG a page at a time (256 sids per draw) rather than one system call per sid: a
 * send mints a sid, and the per-call cost showed in message-service's profile. Each sid's 16 bytes are used once.
 */
const SID_BYTES = 16;
const pool = Buffer.alloc(SID_BYTES * 256);
let offset = pool.length;

export function newSid(prefix: SidPrefix): string {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + SID_BYTES);
  offset += SID_BYTES;
  return prefix + hex;
}

export function isSid(value: unknown, prefix: SidPrefix): value is string {
  return typeof value === 'string' && value.length === 34 && value.startsWith(prefix) && /^[0-9a-fA-F]{32}$/.test(value.slice(2));
}

export const sidSchema = (prefix: SidPrefix) =>
  z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be a ${prefix} sid`);
