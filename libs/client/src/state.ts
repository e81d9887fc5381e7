import type { ChannelWire, MemberWire, MembershipWire, MessageWire, UserWire } from './wire';

/*
 * Wire resources → the SDK objects' state (camelCase, parsed attributes, Dates), and the update
 * reasons of a change: the names of the fields that differ. Pure, so every rule is tested by table.
 */

export type Attributes = Record<string, unknown>;
export type ChannelType = 'public' | 'private';
export type ChannelStatus = 'unknown' | 'notParticipating' | 'invited' | 'joined';
export type NotificationLevel = 'default' | 'muted';

export interface LastMessage {
  index?: number;
  dateCreated?: Date;
}

export interface ChannelState {
  uniqueName: string | null;
  friendlyName: string | null;
  attributes: Attributes;
  createdBy: string | null;
  dateCreated: Date | null;
  dateUpdated: Date | null;
  type: ChannelType;
  status: ChannelStatus;
  lastConsumedMessageIndex: number | null;
  lastMessage: LastMessage;
  notificationLevel: NotificationLevel;
  /** Not update reasons (Twilio has none for them), kept for descriptors and counts. */
  membersCount: number | null;
  messagesCount: number | null;
  memberSid: string | null;
}

export interface MessageState {
  index: number;
  author: string | null;
  body: string | null;
  attributes: Attributes;
  dateCreated: Date | null;
  dateUpdated: Date | null;
  lastUpdatedBy: string | null;
  type: 'text' | 'media';
  memberSid: string | null;
}

export interface MemberState {
  identity: string;
  roleSid: string | null;
  attributes: Attributes;
  dateCreated: Date | null;
  dateUpdated: Date | null;
  lastConsumedMessageIndex: number | null;
  lastConsumptionTimestamp: Date | null;
}

export interface UserState {
  identity: string;
  friendlyName: string | null;
  attributes: Attributes;
  online: boolean | null;
  notifiable: boolean | null;
}

export const CHANNEL_UPDATE_REASONS = [
  'attributes',
  'createdBy',
  'dateCreated',
  'dateUpdated',
  'friendlyName',
  'lastConsumedMessageIndex',
  'status',
  'uniqueName',
  'lastMessage',
  'notificationLevel',
] as const;
export type ChannelUpdateReason = (typeof CHANNEL_UPDATE_REASONS)[number];

export const MESSAGE_UPDATE_REASONS = ['body', 'lastUpdatedBy', 'dateCreated', 'dateUpdated', 'attributes', 'author'] as const;
export type MessageUpdateReason = (typeof MESSAGE_UPDATE_REASONS)[number];

export const MEMBER_UPDATE_REASONS = [
  'attributes',
  'dateCreated',
  'dateUpdated',
  'roleSid',
  'lastConsumedMessageIndex',
  'lastConsumptionTimestamp',
] as const;
export type MemberUpdateReason = (typeof MEMBER_UPDATE_REASONS)[number];

export const USER_UPDATE_REASONS = ['friendlyName', 'attributes', 'reachabilityOnline', 'reachabilityNotifiable'] as const;
export type UserUpdateReason = (typeof USER_UPDATE_REASONS)[number];

/** Attributes arrive as Twilio's JSON string (an object is accepted); anything but a JSON object reads as {}. */
export function parseAttributes(value: unknown): Attributes {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return {};
    }
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Attributes) : {};
}

export function parseDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function parseLastMessage(value: ChannelWire['last_message']): LastMessage {
  if (!value || typeof value.index !== 'number') return {};
  const dateCreated = parseDate(value.date_created);
  return dateCreated ? { index: value.index, dateCreated } : { index: value.index };
}

export function membershipState(m: MembershipWire | null): Pick<
  ChannelState,
  'status' | 'lastConsumedMessageIndex' | 'notificationLevel' | 'memberSid'
> {
  if (!m) return { status: 'notParticipating', lastConsumedMessageIndex: null, notificationLevel: 'default', memberSid: null };
  return {
    status: m.status,
    lastConsumedMessageIndex: m.last_consumed_message_index ?? null,
    notificationLevel: m.notification_level ?? 'default',
    memberSid: m.member_sid ?? null,
  };
}

/**
 * A channel's new state from a wire resource. Fields the resource does not carry (`membership`,
 * `last_message`, counts) keep their previous value.
 */
export function channelStateFrom(wire: ChannelWire, prev?: ChannelState): ChannelState {
  const membership =
    wire.membership !== undefined
      ? membershipState(wire.membership)
      : prev
        ? {
            status: prev.status,
            lastConsumedMessageIndex: prev.lastConsumedMessageIndex,
            notificationLevel: prev.notificationLevel,
            memberSid: prev.memberSid,
          }
        : { status: 'unknown' as const, lastConsumedMessageIndex: null, notificationLevel: 'default' as const, memberSid: null };
  return {
    uniqueName: wire.unique_name ?? null,
    friendlyName: wire.friendly_name ?? null,
    attributes: parseAttributes(wire.attributes),
    createdBy: wire.created_by ?? null,
    dateCreated: parseDate(wire.date_created),
    dateUpdated: parseDate(wire.date_updated),
    type: wire.type === 'private' ? 'private' : 'public',
    ...membership,
    lastMessage: wire.last_message !== undefined ? parseLastMessage(wire.last_message) : (prev?.lastMessage ?? {}),
    membersCount: typeof wire.members_count === 'number' ? wire.members_count : (prev?.membersCount ?? null),
    messagesCount: typeof wire.messages_count === 'number' ? wire.messages_count : (prev?.messagesCount ?? null),
  };
}

export function messageStateFrom(wire: MessageWire): MessageState {
  return {
    index: wire.index,
    author: wire.from ?? null,
    body: wire.body ?? null,
    attributes: parseAttributes(wire.attributes),
    dateCreated: parseDate(wire.date_created),
    dateUpdated: parseDate(wire.date_updated),
    lastUpdatedBy: wire.last_updated_by ?? null,
    type: wire.type === 'media' ? 'media' : 'text',
    memberSid: wire.member_sid ?? null,
  };
}

export function memberStateFrom(wire: MemberWire): MemberState {
  return {
    identity: wire.identity,
    roleSid: wire.role_sid ?? null,
    attributes: parseAttributes(wire.attributes),
    dateCreated: parseDate(wire.date_created),
    dateUpdated: parseDate(wire.date_updated),
    lastConsumedMessageIndex: wire.last_consumed_message_index ?? null,
    lastConsumptionTimestamp: parseDate(wire.last_consumption_timestamp),
  };
}

/** Users may arrive partially (a reachability change carries only identity and is_online/is_notifiable). */
export function userStateFrom(wire: UserWire, prev?: UserState): UserState {
  const has = (key: keyof UserWire) => Object.prototype.hasOwnProperty.call(wire, key);
  return {
    identity: wire.identity,
    friendlyName: has('friendly_name') ? (wire.friendly_name ?? null) : (prev?.friendlyName ?? null),
    attributes: has('attributes') ? parseAttributes(wire.attributes) : (prev?.attributes ?? {}),
    online: has('is_online') ? (wire.is_online ?? null) : (prev?.online ?? null),
    notifiable: has('is_notifiable') ? (wire.is_notifiable ?? null) : (prev?.notifiable ?? null),
  };
}

/** Structural equality for JSON-like values and Dates (attributes are compared by content, not identity). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Attributes)[k], (b as Attributes)[k]));
}

function changed<S, R extends string>(prev: S, next: S, fields: Record<R, (s: S) => unknown>, order: readonly R[]): R[] {
  return order.filter((reason) => !sameValue(fields[reason](prev), fields[reason](next)));
}

const channelFields: Record<ChannelUpdateReason, (s: ChannelState) => unknown> = {
  attributes: (s) => s.attributes,
  createdBy: (s) => s.createdBy,
  dateCreated: (s) => s.dateCreated,
  dateUpdated: (s) => s.dateUpdated,
  friendlyName: (s) => s.friendlyName,
  lastConsumedMessageIndex: (s) => s.lastConsumedMessageIndex,
  status: (s) => s.status,
  uniqueName: (s) => s.uniqueName,
  lastMessage: (s) => s.lastMessage,
  notificationLevel: (s) => s.notificationLevel,
};

const messageFields: Record<MessageUpdateReason, (s: MessageState) => unknown> = {
  body: (s) => s.body,
  lastUpdatedBy: (s) => s.lastUpdatedBy,
  dateCreated: (s) => s.dateCreated,
  dateUpdated: (s) => s.dateUpdated,
  attributes: (s) => s.attributes,
  author: (s) => s.author,
};

const memberFields: Record<MemberUpdateReason, (s: MemberState) => unknown> = {
  attributes: (s) => s.attributes,
  dateCreated: (s) => s.dateCreated,
  dateUpdated: (s) => s.dateUpdated,
  roleSid: (s) => s.roleSid,
  lastConsumedMessageIndex: (s) => s.lastConsumedMessageIndex,
  lastConsumptionTimestamp: (s) => s.lastConsumptionTimestamp,
};

const userFields: Record<UserUpdateReason, (s: UserState) => unknown> = {
  friendlyName: (s) => s.friendlyName,
  attributes: (s) => s.attributes,
  reachabilityOnline: (s) => s.online,
  reachabilityNotifiable: (s) => s.notifiable,
};

export const channelUpdateReasons = (prev: ChannelState, next: ChannelState) =>
  changed(prev, next, channelFields, CHANNEL_UPDATE_REASONS);
export const messageUpdateReasons = (prev: MessageState, next: MessageState) =>
  changed(prev, next, messageFields, MESSAGE_UPDATE_REASONS);
export const memberUpdateReasons = (prev: MemberState, next: MemberState) =>
  changed(prev, next, memberFields, MEMBER_UPDATE_REASONS);
export const userUpdateReasons = (prev: UserState, next: UserState) => changed(prev, next, userFields, USER_UPDATE_REASONS);

/** Baselines for diffing an object the SDK did not hold: its update reasons are the fields that carry a value. */
export function blankMessageState(index: number): MessageState {
  return { index, author: null, body: null, attributes: {}, dateCreated: null, dateUpdated: null, lastUpdatedBy: null, type: 'text', memberSid: null };
}

export function blankMemberState(identity: string): MemberState {
  return { identity, roleSid: null, attributes: {}, dateCreated: null, dateUpdated: null, lastConsumedMessageIndex: null, lastConsumptionTimestamp: null };
}
