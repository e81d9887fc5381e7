import { z } from 'zod';
import { serviceResourceSchema } from './resources/service';
import { credentialsChangedEventSchema } from './resources/account';
import { channelResourceSchema } from './resources/channel';
import { inviteResourceSchema } from './resources/invite';
import { memberResourceSchema } from './resources/member';
import { messageResourceSchema } from './resources/message';
import { userResourceSchema } from './resources/user';
import { reachabilityEventSchema, userNotifiableEventSchema } from './resources/presence';

/**
 * Domain events, published after the database commit on `chat.v1.evt.<serviceSid>.<name>`.
 * Each carries the full resource as the SDK needs it.
 */
export const events = {
  'service.updated': serviceResourceSchema,
  'service.removed': z.object({ sid: z.string() }),
  'channel.added': channelResourceSchema,
  'channel.updated': channelResourceSchema,
  'channel.removed': channelResourceSchema,
  'member.added': memberResourceSchema,
  'member.updated': memberResourceSchema,
  'member.removed': memberResourceSchema,
  'invite.added': inviteResourceSchema,
  'invite.removed': inviteResourceSchema,
  'message.added': messageResourceSchema,
  'message.updated': messageResourceSchema,
  'message.removed': messageResourceSchema,
  'user.updated': userResourceSchema,
  'user.removed': userResourceSchema,
  // For presence-service (Reachability is_notifiable); the gateways do not forward it.
  'user.notifiable': userNotifiableEventSchema,
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

/**
 * Account-level events on `account.v1.evt.<AC>.<name>`: not about a Service, and deliberately outside
 * `chat.v1.evt.>`, so the realtime gateways' queue subscription never sees them and the api-gateways can
 * subscribe to these alone (a plain subscription on every replica).
 */
export const accountEvents = {
  'credentials.changed': credentialsChangedEventSchema,
} as const;

export type AccountEvents = typeof accountEvents;
export type AccountEventName = keyof AccountEvents;
export type AccountEventPayload<E extends AccountEventName> = z.output<AccountEvents[E]>;

export const ACCOUNT_EVENT_ROOT = 'account.v1.evt';

export function accountEventSubject(accountSid: string, name: AccountEventName): string {
  return `${ACCOUNT_EVENT_ROOT}.${accountSid}.${name}`;
}

/** Splits `account.v1.evt.<AC>.<name>` (without the deployment prefix) into its parts. */
export function parseAccountEventSubject(subject: string): { accountSid: string; name: AccountEventName } | null {
  if (!subject.startsWith(`${ACCOUNT_EVENT_ROOT}.`)) return null;
  const rest = subject.slice(ACCOUNT_EVENT_ROOT.length + 1);
  const dot = rest.indexOf('.');
  if (dot < 0) return null;
  const name = rest.slice(dot + 1);
  if (!Object.prototype.hasOwnProperty.call(accountEvents, name)) return null;
  return { accountSid: rest.slice(0, dot), name: name as AccountEventName };
}

/**
 * presence-service's events on `presence.v1.evt.<IS>.<name>` (DESIGN.md §3): reachability transitions, only for
 * Services with reachability enabled. Outside `chat.v1.evt.>`, so only their own subscribers receive them.
 */
export const presenceEvents = {
  'user.reachability': reachabilityEventSchema,
} as const;

export type PresenceEvents = typeof presenceEvents;
export type PresenceEventName = keyof PresenceEvents;
export type PresenceEventPayload<E extends PresenceEventName> = z.output<PresenceEvents[E]>;

export const PRESENCE_EVENT_ROOT = 'presence.v1.evt';

export function presenceEventSubject(serviceSid: string, name: PresenceEventName): string {
  return `${PRESENCE_EVENT_ROOT}.${serviceSid}.${name}`;
}

/** Splits `presence.v1.evt.<IS>.<name>` (without the deployment prefix) into its parts. */
export function parsePresenceEventSubject(subject: string): { serviceSid: string; name: PresenceEventName } | null {
  if (!subject.startsWith(`${PRESENCE_EVENT_ROOT}.`)) return null;
  const rest = subject.slice(PRESENCE_EVENT_ROOT.length + 1);
  const dot = rest.indexOf('.');
  if (dot < 0) return null;
  const name = rest.slice(dot + 1);
  if (!Object.prototype.hasOwnProperty.call(presenceEvents, name)) return null;
  return { serviceSid: rest.slice(0, dot), name: name as PresenceEventName };
}
