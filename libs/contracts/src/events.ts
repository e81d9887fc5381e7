import { z } from 'zod';
import { serviceResourceSchema } from './resources/service';

/**
 * Domain events, published after the database commit on `chat.v1.evt.<serviceSid>.<name>`.
 * Each carries the full resource as the SDK needs it.
 */
export const events = {
  'service.updated': serviceResourceSchema,
  'service.removed': z.object({ sid: z.string() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const EVENT_ROOT = 'chat.v1.evt';

export function eventSubject(serviceSid: string, name: EventName): string {
  return `${EVENT_ROOT}.${serviceSid}.${name}`;
}

/** Splits `chat.v1.evt.<IS>.<resource>.<event>` (without the deployment prefix) into its parts. */
export function parseEventSubject(subject: string): { serviceSid: string; name: EventName } | null {
  if (!subject.startsWith(`${EVENT_ROOT}.`)) return null;
  const rest = subject.slice(EVENT_ROOT.length + 1);
  const dot = rest.indexOf('.');
  if (dot < 0) return null;
  const name = rest.slice(dot + 1);
  if (!Object.prototype.hasOwnProperty.call(events, name)) return null;
  return { serviceSid: rest.slice(0, dot), name: name as EventName };
}
