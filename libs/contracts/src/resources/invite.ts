import { z } from 'zod';
import { formStringArray, pageParamsShape } from '../form';
import { sidSchema } from '../sid';
import { channelKeySchema } from './channel';
import { memberIdentitySchema } from './member';

/** `chat.v2.service.channel.invite` on the wire between services: Twilio's fields without `url`. */
export const inviteResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  channel_sid: z.string(),
  service_sid: z.string(),
  identity: z.string(),
  date_created: z.string(),
  date_updated: z.string(),
  role_sid: z.string().nullable(),
  created_by: z.string().nullable(),
});
export type InviteResource = z.infer<typeof inviteResourceSchema>;

export const createInviteParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  ChannelSid: channelKeySchema,
  Identity: memberIdentitySchema,
  RoleSid: sidSchema('RL').optional(),
});
export type CreateInviteParams = z.infer<typeof createInviteParamsSchema>;

export const inviteSidParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  ChannelSid: channelKeySchema,
  Sid: sidSchema('IN'),
});

export const listInviteParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  ChannelSid: channelKeySchema,
  Identity: formStringArray(memberIdentitySchema).optional(),
  ...pageParamsShape,
});
