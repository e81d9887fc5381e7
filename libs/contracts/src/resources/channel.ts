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

/** A user's relation to a channel (UserChannel `status`, SDK `Channel.status`). */
export const USER_CHANNEL_STATUSES = ['joined', 'invited', 'notParticipating'] as const;
export const USER_CHANNEL_NOTIFICATION_LEVELS = ['default', 'muted'] as const;

/**
 * Parley: the calling SDK user's membership of a channel, on channel reads for `user` actors only (never on
 * REST, never in events). A pending invite is `invited` with null member fields; neither is `notParticipating`.
 * `unread_messages_count` is null while no consumption horizon is set.
 */
export const channelMembershipSchema = z.object({
  status: z.enum(USER_CHANNEL_STATUSES),
  last_consumed_message_index: z.number().int().nullable(),
  member_sid: z.string().nullable(),
  unread_messages_count: z.number().int().nullable(),
  notification_level: z.enum(USER_CHANNEL_NOTIFICATION_LEVELS).nullable(),
});
export type ChannelMembership = z.infer<typeof channelMembershipSchema>;

/** The latest message of a channel, as message-service keeps it on the channel row (SDK `lastMessage`). */
export const channelLastMessageSchema = z.object({
  sid: z.string(),
  index: z.number().int(),
  date_created: z.string().nullable(),
});

/**
 * `chat.v2.service.channel` on the wire between services: Twilio's fields without `url`/`links`, plus
 * `last_message` (null when none), which the REST edge turns into `links.last_message` and the SDK shows, and,
 * on reads by an SDK user, that user's `membership` (absent otherwise).
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
  membership: channelMembershipSchema.nullable().optional(),
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

/*
 * SDK commands (NATS only; the realtime gateway sends them). The Service and the identity default to the caller's
 * own; a user may name only itself, a `system` caller must name both.
 */

const sdkIdentity = z.string().min(1).max(256);

/**
 * `chat.v1.cmd.channel.list-subscribed`: the channels the identity has joined or is invited to, each with its
 * `membership`, keyset-paged by channel sid (SDK `getSubscribedChannels` / `getUserChannelDescriptors`).
 */
export const listSubscribedChannelsParamsSchema = z.object({
  serviceSid: sidSchema('IS').optional(),
  identity: sdkIdentity.optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  pageToken: z.string().max(512).optional(),
});
export type ListSubscribedChannelsParams = z.infer<typeof listSubscribedChannelsParamsSchema>;

/** `chat.v1.cmd.session.channels`: what the realtime gateway needs at connect (the `session` event and rooms). */
export const sessionChannelsParamsSchema = z.object({
  serviceSid: sidSchema('IS').optional(),
  identity: sdkIdentity.optional(),
});

/** At most this many channels per list of a session (the largest `limits.user_channels` a Service can have). */
export const SESSION_CHANNELS_MAX = 1000;

export const sessionChannelsSchema = z.object({
  /** Every channel the identity is a member of (`membership.status` = `joined`), by sid. */
  channels: z.array(channelResourceSchema).max(SESSION_CHANNELS_MAX),
  /** Channels the identity is invited to and not a member of (`membership.status` = `invited`), by sid. */
  invited: z.array(channelResourceSchema).max(SESSION_CHANNELS_MAX),
});
export type SessionChannels = z.infer<typeof sessionChannelsSchema>;
