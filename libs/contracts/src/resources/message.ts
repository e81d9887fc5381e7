import { z } from 'zod';
import { formDate, formInt, jsonAttributes } from '../form';
import { sidSchema } from '../sid';

/**
 * Twilio's limits on a Message. The body limit is Twilio's documented one (error 50504: "Programmable Chat
 * limits Message Body to 32 KiB"), counted in UTF-8 bytes: what the store and the wire carry, and the stricter
 * reading for non-ASCII text. Twilio documents no attributes limit for Chat; Conversations documents 16 KB for a
 * Conversation's attributes and 4 KB for a Message's. Parley takes 16 KiB so that nothing a Chat backend stored
 * at Twilio is refused here.
 */
export const MESSAGE_LIMITS = {
  bodyBytes: 32 * 1024,
  attributesBytes: 16 * 1024,
  /** `From` / `LastUpdatedBy` are identities (DESIGN: identities are at most 256 characters). */
  identityChars: 256,
} as const;

export const MESSAGE_PAGE_SIZE = { default: 50, max: 100 } as const;
/** Bounds of the SDK commands: a recovery or a page never answers more than this many messages. */
export const MESSAGE_SDK_LIMIT = { default: 100, max: 1000 } as const;

export const messageMediaSchema = z.object({
  sid: z.string(),
  size: z.number().int(),
  content_type: z.string(),
  filename: z.string().nullable(),
});
export type MessageMediaResource = z.infer<typeof messageMediaSchema>;

/**
 * `chat.v2.service.channel.message` on the wire between services, without `url` (the edge adds it). Also the
 * payload of the message events: `channel_sid` and `index` let the realtime gateway and the SDK order messages
 * and fill gaps.
 */
export const messageResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  attributes: z.string(),
  service_sid: z.string(),
  to: z.string(),
  channel_sid: z.string(),
  date_created: z.string(),
  date_updated: z.string(),
  last_updated_by: z.string().nullable(),
  was_edited: z.boolean(),
  from: z.string(),
  body: z.string().nullable(),
  index: z.number().int(),
  type: z.enum(['text', 'media']),
  media: messageMediaSchema.nullable(),
});
export type MessageResource = z.infer<typeof messageResourceSchema>;

/** Postgres text cannot hold U+0000: refused as a bad parameter rather than failing in the store. */
const text = () => z.string().refine((v) => !v.includes('\u0000'), { message: 'must not contain NUL characters' });

/** A Channel path key: its sid or its unique name (Twilio addresses Channels by either). */
const channelKey = text().min(1).max(1024);

/** Identities are not checked for length here: a too-long one has its own Twilio code (50310 / 50505). */
const identity = text().max(64 * 1024);

/** The 32 KiB limit answers Twilio's 50504, not a generic 400: message-service checks it. */
const body = text();

/** Media (`ME…`) lives outside the Chat resources (Twilio's MCS), so it has no entry in SidPrefix. */
const mediaSid = z.string().regex(/^ME[0-9a-fA-F]{32}$/, 'must be a ME sid');

const messagePath = {
  ServiceSid: sidSchema('IS'),
  ChannelSid: channelKey,
};

export const createMessageParamsSchema = z.object({
  ...messagePath,
  From: identity.optional(),
  Attributes: jsonAttributes(MESSAGE_LIMITS.attributesBytes).optional(),
  DateCreated: formDate.optional(),
  DateUpdated: formDate.optional(),
  LastUpdatedBy: identity.optional(),
  Body: body.optional(),
  MediaSid: mediaSid.optional(),
  /**
   * Not a Twilio parameter (REST does not pass it): the SDK's send key. A retry with the same key in the same
   * channel answers the original message (same sid and index) without storing or announcing it again.
   */
  IdempotencyKey: text().min(1).max(128).optional(),
});
export type CreateMessageParams = z.infer<typeof createMessageParamsSchema>;

export const updateMessageParamsSchema = z.object({
  ...messagePath,
  Sid: sidSchema('IM'),
  Body: body.optional(),
  Attributes: jsonAttributes(MESSAGE_LIMITS.attributesBytes).optional(),
  DateCreated: formDate.optional(),
  DateUpdated: formDate.optional(),
  LastUpdatedBy: identity.optional(),
  From: identity.optional(),
});
export type UpdateMessageParams = z.infer<typeof updateMessageParamsSchema>;

export const messageSidParamsSchema = z.object({ ...messagePath, Sid: sidSchema('IM') });

export const listMessagesParamsSchema = z.object({
  ...messagePath,
  Order: z.enum(['asc', 'desc']).optional(),
  PageSize: formInt(1, MESSAGE_PAGE_SIZE.max).optional(),
  Page: formInt(0, 1_000_000).optional(),
  PageToken: z.string().max(512).optional(),
});
export type ListMessagesParams = z.infer<typeof listMessagesParamsSchema>;

/*
 * SDK commands (the realtime gateway sends them on behalf of a user; the Service is the caller's `serviceSid`).
 */

/** Reconnect recovery: the messages after the last index the client holds, bounded. */
export const listMessagesAfterParamsSchema = z.object({
  channel: channelKey,
  /** -1 when the client holds none. */
  afterIndex: z.number().int().min(-1),
  limit: z.number().int().min(1).max(MESSAGE_SDK_LIMIT.max).optional(),
});

/** `more` is true when further messages exist after the last one returned: the answer is then NOT complete. */
export const messagesAfterSchema = z.object({
  messages: z.array(messageResourceSchema),
  more: z.boolean(),
});
export type MessagesAfter = z.infer<typeof messagesAfterSchema>;

/** The SDK's `getMessages(pageSize, anchor, direction)`. */
export const messagePageParamsSchema = z.object({
  channel: channelKey,
  pageSize: z.number().int().min(1).max(MESSAGE_SDK_LIMIT.max),
  /** `backwards`: the newest messages with index <= anchor (the latest when absent); `forward`: index >= anchor. */
  anchor: z.number().int().min(0).optional(),
  direction: z.enum(['backwards', 'forward']),
});

/**
 * A page in ascending index order. `olderAnchor` / `newerAnchor` are the anchors of the neighbouring pages
 * (`backwards` from `olderAnchor`, `forward` from `newerAnchor`), null when there is nothing in that direction.
 */
export const messagePageSchema = z.object({
  messages: z.array(messageResourceSchema),
  olderAnchor: z.number().int().nullable(),
  newerAnchor: z.number().int().nullable(),
});
export type MessagePage = z.infer<typeof messagePageSchema>;
