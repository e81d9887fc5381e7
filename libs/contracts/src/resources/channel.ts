import { z } from 'zod';
import { formDate, formStringArray, jsonAttributes, pageParamsShape } from '../form';
import { isSid, sidSchema } from '../sid';

/** Twilio's size limit of Channel, Member and Invite `attributes` (a JSON object encoded as a string). */
export const CHANNEL_ATTRIBUTES_MAX_BYTES = 16 * 1024;

export const CHANNEL_TYPES = ['public', 'private'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/**
 * A path key of a Channel: its sid or its unique name (Twilio accepts either wherever a channel is addressed).
 * Bounded so that no key that cannot exist reaches the database.
 */
export const channelKeySchema = z.string().min(1).max(256);

/**
 * `UniqueName`: at most 64 characters (spec), never shaped like a channel sid (the two share the path key).
 * An empty string means "no unique name" (it clears one on update).
 */
export const channelUniqueNameSchema = z
  .string()
  .max(64)
  .refine((v) => !isSid(v, 'CH'), { message: 'must not look like a Channel sid' });

/** `created_by` / `CreatedBy`: an identity, or `system` for REST. */
const createdBySchema = z.string().min(1).max(256);

/** The latest message of a channel, as message-service keeps it on the channel row (SDK `lastMessage`). */
export const channelLastMessageSchema = z.object({
  sid: z.string(),
  index: z.number().int(),
  date_created: z.string().nullable(),
});

/**
 * `chat.v2.service.channel` on the wire between services: Twilio's fields without `url`/`links`, plus
 * `last_message` (null when none), which the REST edge turns into `links.last_message` and the SDK shows.
 */
export const channelResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  service_sid: z.string(),
  friendly_name: z.string().nullable(),
  unique_name: z.string().nullable(),
  attributes: z.string(),
  type: z.enum(CHANNEL_TYPES),
  date_created: z.string(),
  date_updated: z.string(),
  created_by: z.string(),
  members_count: z.number().int(),
  messages_count: z.number().int(),
  last_message: channelLastMessageSchema.nullable(),
});
export type ChannelResource = z.infer<typeof channelResourceSchema>;

const attributes = jsonAttributes(CHANNEL_ATTRIBUTES_MAX_BYTES);

export const createChannelParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  FriendlyName: z.string().max(64).optional(),
  UniqueName: channelUniqueNameSchema.optional(),
  Attributes: attributes.optional(),
  Type: z.enum(CHANNEL_TYPES).optional(),
  DateCreated: formDate.optional(),
  DateUpdated: formDate.optional(),
  CreatedBy: createdBySchema.optional(),
});
export type CreateChannelParams = z.infer<typeof createChannelParamsSchema>;

export const updateChannelParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  Sid: channelKeySchema,
  FriendlyName: z.string().max(256).optional(),
  UniqueName: channelUniqueNameSchema.optional(),
  Attributes: attributes.optional(),
  DateCreated: formDate.optional(),
  DateUpdated: formDate.optional(),
  CreatedBy: createdBySchema.optional(),
});
export type UpdateChannelParams = z.infer<typeof updateChannelParamsSchema>;

export const channelKeyParamsSchema = z.object({ ServiceSid: sidSchema('IS'), Sid: channelKeySchema });

export const listChannelParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  Type: formStringArray(z.enum(CHANNEL_TYPES)).optional(),
  ...pageParamsShape,
});
export type ListChannelParams = z.infer<typeof listChannelParamsSchema>;
