/**
 * @parley/client — the Parley chat SDK for browsers and Node. Its surface mirrors Twilio's JS chat SDK
 * (twilio-chat): `Client.create(token, { url })`, Channels, Messages, Members, Users, Paginators.
 */
export { Client, SDK_VERSION } from './client';
export type { ClientOptions, CreateChannelOptions, PageOptions, PushType } from './client';
export { Channel } from './channel';
export type { ChannelEvents } from './channel';
export { ChannelDescriptor } from './channel-descriptor';
export { Message } from './message';
export type { MessageEvents } from './message';
export { Member } from './member';
export type { MemberEvents } from './member';
export { User } from './user';
export type { UserEvents } from './user';
export { Paginator } from './paginator';
export type { PageDirection } from './paginator';
export { SDKError, SDKErrorCode } from './errors';
export { TypedEmitter } from './emitter';
export type { ClientEvents } from './context';
export type { ConnectionState, SocketFactory, SocketFactoryOptions, SocketLike } from './connection';
export type { LogLevel } from './logger';
export type { BackoffOptions } from './backoff';
export type {
  Attributes,
  ChannelStatus,
  ChannelType,
  ChannelUpdateReason,
  LastMessage,
  MemberUpdateReason,
  MessageUpdateReason,
  NotificationLevel,
  UserUpdateReason,
} from './state';
export type { ChannelWire, MemberWire, MessageWire, UserWire, SessionWire, ResumeItemWire, CommandReplies } from './wire';
