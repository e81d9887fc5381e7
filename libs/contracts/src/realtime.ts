import { z } from 'zod';

/*
 * The Socket.IO protocol between the SDK (libs/client) and realtime-gateway, version 1.
 * Client → server: `socket.emit(command, payload, ack)`; the ack carries the reply envelope
 * `{ ok: true, data } | { ok: false, error: { code, message, status } }`.
 * Server → client: the events of ServerEvents, payloads in the wire (snake_case) resource shapes.
 */

export const MESSAGE_BODY_MAX_BYTES = 32 * 1024;
/** Largest Socket.IO frame the gateway accepts: a maximal message body plus attributes and framing. */
export const MAX_SOCKET_FRAME_BYTES = 96 * 1024;
/** Messages a resume returns per channel before it answers `recovered: false` (the SDK then reloads pages). */
export const RECOVERY_LIMIT = 200;

const channelKey = z.string().min(1).max(256);
const identity = z.string().min(1).max(256);
const attributes = z.record(z.string(), z.unknown());
const pageToken = z.string().max(512).optional();
const pageSize = z.number().int().min(1).max(100).optional();
const messageIndex = z.number().int().min(0).max(2 ** 31 - 1);

export const clientCommands = {
  'channel.create': z.object({
    friendlyName: z.string().max(256).optional(),
    uniqueName: z.string().min(1).max(256).optional(),
    isPrivate: z.boolean().optional(),
    attributes: attributes.optional(),
  }),
  'channel.get': z.object({ channel: channelKey }),
  'channel.subscribed': z.object({ pageToken, pageSize }),
  'channel.public-descriptors': z.object({ pageToken, pageSize }),
  'channel.user-descriptors': z.object({ pageToken, pageSize }),
  'channel.join': z.object({ channel: channelKey }),
  'channel.leave': z.object({ channel: channelKey }),
  'channel.decline': z.object({ channel: channelKey }),
  'channel.add': z.object({ channel: channelKey, identity }),
  'channel.invite': z.object({ channel: channelKey, identity }),
  'channel.remove-member': z.object({ channel: channelKey, identity }),
  'channel.update': z.object({
    channel: channelKey,
    friendlyName: z.string().max(256).optional(),
    uniqueName: z.string().min(1).max(256).nullable().optional(),
    attributes: attributes.optional(),
  }),
  'channel.delete': z.object({ channel: channelKey }),
  'channel.members': z.object({ channel: channelKey }),
  'message.send': z.object({
    channel: channelKey,
    body: z.string(),
    attributes: attributes.optional(),
    idempotencyKey: z.string().min(8).max(64),
  }),
  'message.page': z.object({
    channel: channelKey,
    pageSize: z.number().int().min(1).max(100).default(30),
    anchor: messageIndex.optional(),
    direction: z.enum(['backwards', 'forward']).default('backwards'),
  }),
  'message.update': z.object({
    channel: channelKey,
    message: z.string().min(1).max(64),
    body: z.string().optional(),
    attributes: attributes.optional(),
  }),
  'message.remove': z.object({ channel: channelKey, message: z.string().min(1).max(64) }),
  typing: z.object({ channel: channelKey }),
  'consumption.update': z.object({ channel: channelKey, index: messageIndex.nullable() }),
  'consumption.advance': z.object({ channel: channelKey, index: messageIndex }),
  'consumption.all': z.object({ channel: channelKey }),
  'consumption.none': z.object({ channel: channelKey }),
  'user.update': z.object({ friendlyName: z.string().max(256).optional(), attributes: attributes.optional() }),
  'user.subscribe': z.object({ identity }),
  'user.unsubscribe': z.object({ identity }),
  'token.update': z.object({ token: z.string().min(1).max(8192) }),
  resume: z.object({
    channels: z.array(z.object({ channel: z.string().min(1).max(64), lastIndex: messageIndex.nullable() })).max(1000),
  }),
  'push.register': z.object({ type: z.enum(['apn', 'fcm', 'gcm']), token: z.string().min(1).max(4096) }),
  'push.unregister': z.object({ type: z.enum(['apn', 'fcm', 'gcm']) }),
} as const;

export type ClientCommands = typeof clientCommands;
export type ClientCommandName = keyof ClientCommands;
export type ClientCommandPayload<C extends ClientCommandName> = z.input<ClientCommands[C]>;

export function isClientCommand(name: string): name is ClientCommandName {
  return Object.prototype.hasOwnProperty.call(clientCommands, name);
}

/** Events the server emits to SDK clients (Twilio's client event names). */
export const SERVER_EVENTS = [
  'session',
  'channelAdded',
  'channelInvited',
  'channelJoined',
  'channelLeft',
  'channelRemoved',
  'channelUpdated',
  'memberJoined',
  'memberLeft',
  'memberUpdated',
  'messageAdded',
  'messageUpdated',
  'messageRemoved',
  'typingStarted',
  'userUpdated',
  'tokenAboutToExpire',
  'tokenExpired',
  'serviceUpdated',
  'serverShutdown',
] as const;
export type ServerEventName = (typeof SERVER_EVENTS)[number];

/** Rooms of DESIGN.md §4: every socket of a user; every member socket of a channel; every subscriber of a user's presence. */
export const rooms = {
  user: (serviceSid: string, identity: string) => `user:${serviceSid}:${identity}`,
  channel: (serviceSid: string, channelSid: string) => `channel:${serviceSid}:${channelSid}`,
  presence: (serviceSid: string, identity: string) => `presence:${serviceSid}:${identity}`,
  /** Every socket of a service: public channel visibility (channelAdded/Removed for public channels). */
  service: (serviceSid: string) => `service:${serviceSid}`,
};
