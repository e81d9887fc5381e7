import type {
  ClientCommandName,
  ClientCommandPayload,
  ErrorBody,
  PageResult,
  ServerEventName as ContractServerEventName,
  ServiceResource,
} from '@parley/contracts';

/*
 * What travels on the socket: Twilio Chat v2 resources in snake_case (chat-v2-surface.md §4) without
 * `url`/`links`, plus the few fields the realtime API adds (marked "Parley:"). Types only: the SDK
 * takes nothing from @parley/contracts at runtime.
 */

export type ChannelStatusWire = 'joined' | 'invited' | 'notParticipating';

/** The current user's relation to a channel (a UserChannel, trimmed). */
export interface MembershipWire {
  status: ChannelStatusWire;
  last_consumed_message_index: number | null;
  member_sid: string | null;
  /** Parley: optional; getUnconsumedMessagesCount() reads it from `channel.get`. */
  unread_messages_count?: number | null;
  /** Parley: optional, `default` when absent. */
  notification_level?: 'default' | 'muted';
}

export interface LastMessageWire {
  index: number;
  date_created: string | null;
}

export interface ChannelWire {
  sid: string;
  account_sid?: string;
  service_sid?: string;
  friendly_name: string | null;
  unique_name: string | null;
  /** A JSON string (Twilio); an object is accepted too. */
  attributes: string | Record<string, unknown> | null;
  type: 'public' | 'private';
  date_created: string | null;
  date_updated: string | null;
  created_by: string | null;
  members_count?: number;
  messages_count?: number;
  /**
   * Parley: the newest message when the resource was read, `null` for a channel without messages.
   * The SDK's ordered delivery starts after it. Absent = unknown (see README of the SDK).
   */
  last_message?: LastMessageWire | null;
  /** Parley: the caller's membership; `null` = not a member nor invited; absent = not stated. */
  membership?: MembershipWire | null;
}

export interface MemberWire {
  sid: string;
  account_sid?: string;
  channel_sid: string;
  service_sid?: string;
  identity: string;
  date_created: string | null;
  date_updated: string | null;
  role_sid: string | null;
  last_consumed_message_index: number | null;
  last_consumption_timestamp: string | null;
  attributes: string | Record<string, unknown> | null;
}

export interface MessageWire {
  sid: string;
  account_sid?: string;
  service_sid?: string;
  channel_sid: string;
  to?: string;
  attributes: string | Record<string, unknown> | null;
  date_created: string | null;
  date_updated: string | null;
  last_updated_by: string | null;
  was_edited?: boolean;
  from: string | null;
  body: string | null;
  index: number;
  type?: 'text' | 'media' | null;
  media?: unknown;
  /** Parley: optional; else the SDK looks the author up among the channel's members. */
  member_sid?: string | null;
}

export interface UserWire {
  sid?: string;
  account_sid?: string;
  service_sid?: string;
  identity: string;
  friendly_name?: string | null;
  attributes?: string | Record<string, unknown> | null;
  role_sid?: string | null;
  is_online?: boolean | null;
  is_notifiable?: boolean | null;
  date_created?: string | null;
  date_updated?: string | null;
  joined_channels_count?: number;
}

export interface InviteWire {
  sid: string;
  channel_sid: string;
  identity: string;
  role_sid?: string | null;
  created_by?: string | null;
  date_created?: string | null;
  date_updated?: string | null;
}

/** Sent by the server after every successful handshake. */
export interface SessionWire {
  identity: string;
  serviceSid: string;
  accountSid: string;
  user: UserWire;
  reachabilityEnabled: boolean;
  /** Token expiry, epoch seconds. */
  expiresAt: number;
  channels: ChannelWire[];
  /** Parley: the service's typing_indicator_timeout in seconds (5 when absent). */
  typingIndicatorTimeout?: number;
  /** Accepted too: the service resource (its typing_indicator_timeout). */
  service?: Partial<ServiceResource>;
}

export interface ConsumptionWire {
  channel_sid?: string;
  last_consumed_message_index: number | null;
  unread_messages_count: number | null;
}

export type ResumeItemWire =
  | { channel: string; recovered: true; messages: MessageWire[] }
  /** `lastIndex` (Parley, optional): the channel's newest index now; else the SDK asks for it. */
  | { channel: string; recovered: false; lastIndex?: number | null };

/** What `message.page` answers: at most `pageSize` messages, in ascending index order. */
export interface MessagePageWire {
  items: MessageWire[];
}

/** The `data` of a successful reply, per command. */
export interface CommandReplies {
  'channel.create': ChannelWire;
  'channel.get': ChannelWire;
  'channel.subscribed': PageResult<ChannelWire>;
  'channel.public-descriptors': PageResult<ChannelWire>;
  'channel.user-descriptors': PageResult<ChannelWire>;
  'channel.join': MemberWire | null;
  'channel.leave': null;
  'channel.decline': null;
  'channel.add': MemberWire | null;
  'channel.invite': InviteWire | null;
  'channel.remove-member': null;
  'channel.update': ChannelWire;
  'channel.delete': null;
  'channel.members': MemberWire[] | { items: MemberWire[] };
  'message.send': MessageWire;
  'message.page': MessagePageWire | MessageWire[];
  'message.update': MessageWire;
  'message.remove': MessageWire | null;
  typing: null;
  'consumption.update': ConsumptionWire | number | null;
  'consumption.advance': ConsumptionWire | number | null;
  'consumption.all': ConsumptionWire | number | null;
  'consumption.none': ConsumptionWire | number | null;
  'user.update': UserWire;
  'user.subscribe': UserWire;
  'user.unsubscribe': null;
  'token.update': { expiresAt?: number } | null;
  resume: ResumeItemWire[];
  'push.register': null;
  'push.unregister': null;
}

// Fails to compile when the protocol gains or loses a command that this map does not know.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const repliesCoverEveryCommand: Exact<keyof CommandReplies, ClientCommandName> = true;
void repliesCoverEveryCommand;

export type CommandName = ClientCommandName;
export type CommandPayload<C extends CommandName> = ClientCommandPayload<C>;
export type CommandReply<C extends CommandName> = CommandReplies[C];

export type ReplyEnvelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** Server → client events and their payloads. */
export interface ServerEvents {
  session: SessionWire;
  channelAdded: ChannelWire;
  /** An invite (or member) resource naming the channel, or the channel itself. */
  channelInvited: InviteWire | MemberWire | ChannelWire;
  channelJoined: MemberWire;
  channelLeft: MemberWire;
  channelRemoved: ChannelWire;
  channelUpdated: ChannelWire;
  memberJoined: MemberWire;
  memberLeft: MemberWire;
  memberUpdated: MemberWire;
  messageAdded: MessageWire;
  messageUpdated: MessageWire;
  messageRemoved: MessageWire;
  typingStarted: { channel_sid: string; identity: string };
  userUpdated: UserWire;
  serviceUpdated: Partial<ServiceResource>;
  tokenAboutToExpire: { expiresAt: number; ttl: number };
  tokenExpired: unknown;
  serverShutdown: { reconnect?: boolean };
}
export type ServerEventName = keyof ServerEvents;

/** Exactly the server's events (libs/contracts SERVER_EVENTS): a type check only, nothing of contracts at runtime. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type ServerEventsMatchContracts = Holds<Same<ServerEventName, ContractServerEventName>>;
