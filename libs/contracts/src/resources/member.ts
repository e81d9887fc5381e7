import { z } from 'zod';
import { formDate, formInt, formStringArray, jsonAttributes, pageParamsShape } from '../form';
import { sidSchema } from '../sid';
import { CHANNEL_ATTRIBUTES_MAX_BYTES, channelKeySchema } from './channel';

/** An identity as a member, invite or SDK command names it. */
export const memberIdentitySchema = z.string().min(1).max(256);

/** A path key of a Member: its sid or its identity. */
export const memberKeySchema = z.string().min(1).max(256);

/** Message indexes are Postgres integers. */
export const CONSUMPTION_INDEX_MAX = 2_147_483_647;

/** `chat.v2.service.channel.member` on the wire between services: Twilio's fields without `url`. */
export const memberResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  channel_sid: z.string(),
  service_sid: z.string(),
  identity: z.string(),
  date_created: z.string(),
  date_updated: z.string(),
  role_sid: z.string().nullable(),
  last_consumed_message_index: z.number().int().nullable(),
  last_consumption_timestamp: z.string().nullable(),
  attributes: z.string(),
});
export type MemberResource = z.infer<typeof memberResourceSchema>;

const attributes = jsonAttributes(CHANNEL_ATTRIBUTES_MAX_BYTES);
const consumedIndex = formInt(0, CONSUMPTION_INDEX_MAX);

/** What CreateMember and UpdateMember both set (REST; backfill included). */
const memberFields = {
  RoleSid: sidSchema('RL').optional(),
  LastConsumedMessageIndex: consumedIndex.optional(),
  LastConsumptionTimestamp: formDate.optional(),
  DateCreated: formDate.optional(),
  DateUpdated: formDate.optional(),
  Attributes: attributes.optional(),
};

export const createMemberParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  ChannelSid: channelKeySchema,
  Identity: memberIdentitySchema,
  ...memberFields,
});
export type CreateMemberParams = z.infer<typeof createMemberParamsSchema>;

export const memberKeyParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  ChannelSid: channelKeySchema,
  Sid: memberKeySchema,
});

export const updateMemberParamsSchema = memberKeyParamsSchema.extend(memberFields);
export type UpdateMemberParams = z.infer<typeof updateMemberParamsSchema>;

export const listMemberParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  ChannelSid: channelKeySchema,
  Identity: formStringArray(memberIdentitySchema).optional(),
  ...pageParamsShape,
});

/*
 * SDK commands (NATS only; the realtime gateway wires them). The identity defaults to the caller's own
 * (`actor.identity`); a `system` caller names it. The service defaults to the caller envelope's.
 */

const sdkTarget = {
  serviceSid: sidSchema('IS').optional(),
  channel: channelKeySchema,
  identity: memberIdentitySchema.optional(),
};

/** `chat.v1.cmd.channel.join` / `chat.v1.cmd.channel.leave` / `chat.v1.cmd.invite.decline`. */
export const channelMembershipParamsSchema = z.object(sdkTarget);
export type ChannelMembershipParams = z.infer<typeof channelMembershipParamsSchema>;

/**
 * `chat.v1.cmd.member.consume`: moves the consumption horizon. `index` sets it, `null` clears it (no message
 * consumed), `'all'` sets it to the channel's last message. With `advance`, it only ever moves forward.
 */
export const consumeParamsSchema = z.object({
  ...sdkTarget,
  index: z.union([z.number().int().min(0).max(CONSUMPTION_INDEX_MAX), z.null(), z.literal('all')]),
  advance: z.boolean().optional(),
});
export type ConsumeParams = z.infer<typeof consumeParamsSchema>;

export const consumeReplySchema = z.object({
  member: memberResourceSchema,
  unread_messages_count: z.number().int().nullable(),
});
export type ConsumeReply = z.infer<typeof consumeReplySchema>;
