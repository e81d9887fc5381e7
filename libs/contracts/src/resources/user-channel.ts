import { z } from 'zod';
import { formDate, formInt, pageParamsShape } from '../form';
import { sidSchema } from '../sid';
import { channelKeySchema, USER_CHANNEL_NOTIFICATION_LEVELS, USER_CHANNEL_STATUSES } from './channel';
import { CONSUMPTION_INDEX_MAX, memberIdentitySchema } from './member';

/** A path key of a User: its sid or its identity. */
export const userChannelUserKeySchema = z.string().min(1).max(256);

/**
 * `chat.v2.service.user.user_channel` on the wire between services: Twilio's fields without `url`/`links`.
 * A channel the user is only invited to has no member: `member_sid` and the consumption fields are null.
 */
export const userChannelResourceSchema = z.object({
  account_sid: z.string(),
  service_sid: z.string(),
  channel_sid: z.string(),
  user_sid: z.string(),
  member_sid: z.string().nullable(),
  status: z.enum(USER_CHANNEL_STATUSES),
  last_consumed_message_index: z.number().int().nullable(),
  unread_messages_count: z.number().int().nullable(),
  notification_level: z.enum(USER_CHANNEL_NOTIFICATION_LEVELS),
});
export type UserChannelResource = z.infer<typeof userChannelResourceSchema>;

export const listUserChannelParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  UserSid: userChannelUserKeySchema,
  ...pageParamsShape,
});

export const userChannelKeyParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  UserSid: userChannelUserKeySchema,
  ChannelSid: channelKeySchema,
});

export const updateUserChannelParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  UserSid: userChannelUserKeySchema,
  ChannelSid: channelKeySchema,
  NotificationLevel: z.enum(USER_CHANNEL_NOTIFICATION_LEVELS).optional(),
  LastConsumedMessageIndex: formInt(0, CONSUMPTION_INDEX_MAX).optional(),
  LastConsumptionTimestamp: formDate.optional(),
});
export type UpdateUserChannelParams = z.infer<typeof updateUserChannelParamsSchema>;

/** `chat.v1.cmd.user-channel.list-for-identity` (SDK, at connect): the channels to join socket rooms for. */
export const listForIdentityParamsSchema = z.object({
  serviceSid: sidSchema('IS').optional(),
  identity: memberIdentitySchema.optional(),
});

export const listForIdentityReplySchema = z.object({
  /** Channels the identity is a member of. */
  channel_sids: z.array(z.string()),
  /** Channels the identity is invited to (and not a member of). */
  invited_channel_sids: z.array(z.string()),
});
export type ListForIdentityReply = z.infer<typeof listForIdentityReplySchema>;
