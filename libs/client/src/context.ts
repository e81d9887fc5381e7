import type { Channel } from './channel';
import type { ConnectionState } from './connection';
import type { Logger } from './logger';
import type { Member } from './member';
import type { Message } from './message';
import type { RetryPolicy } from './outbox';
import type { ChannelUpdateReason, MemberUpdateReason, MessageUpdateReason, UserUpdateReason } from './state';
import type { User } from './user';
import type { CommandName, CommandPayload, CommandReply } from './wire';

/** Client-level events and their listener arguments (Twilio's names and payloads). */
export interface ClientEvents {
  connectionStateChanged: [state: ConnectionState];
  connectionError: [error: { terminal: boolean; message: string; httpStatusCode?: number; errorCode?: number }];
  stateChanged: [state: 'initialized' | 'failed'];
  channelAdded: [channel: Channel];
  channelInvited: [channel: Channel];
  channelJoined: [channel: Channel];
  channelLeft: [channel: Channel];
  channelRemoved: [channel: Channel];
  channelUpdated: [data: { channel: Channel; updateReasons: ChannelUpdateReason[] }];
  memberJoined: [member: Member];
  memberLeft: [member: Member];
  memberUpdated: [data: { member: Member; updateReasons: MemberUpdateReason[] }];
  messageAdded: [message: Message];
  messageUpdated: [data: { message: Message; updateReasons: MessageUpdateReason[] }];
  messageRemoved: [message: Message];
  typingStarted: [member: Member];
  typingEnded: [member: Member];
  userUpdated: [data: { user: User; updateReasons: UserUpdateReason[] }];
  userSubscribed: [user: User];
  userUnsubscribed: [user: User];
  tokenAboutToExpire: [ttl: number];
  tokenExpired: [];
}

/** What Channel, Message, Member and User need from their Client (internal). */
export interface ClientContext {
  readonly logger: Logger;
  request<C extends CommandName>(command: C, payload: CommandPayload<C>, policy: RetryPolicy): Promise<CommandReply<C>>;
  /** Re-emits an object's event on the client. */
  emit<E extends keyof ClientEvents>(event: E, ...args: ClientEvents[E]): void;
  identity(): string;
  /** A session is up: commands go out now (typing signals are dropped otherwise, never queued). */
  connected(): boolean;
  reachabilityEnabled(): boolean;
  typingTimeoutMs(): number;
  getUser(identity: string): Promise<User>;
  unsubscribeUser(user: User): Promise<void>;
  channelRemoved(channel: Channel): void;
  reportListenerError(err: unknown, event: string): void;
}
