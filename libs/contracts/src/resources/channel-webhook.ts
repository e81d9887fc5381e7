import { z } from 'zod';
import { formInt, formStringArray, pageParamsShape } from '../form';
import { sidSchema } from '../sid';
import { channelKeySchema } from './channel';
import { WEBHOOK_FILTERS } from './service';

export const CHANNEL_WEBHOOK_TYPES = ['webhook', 'trigger', 'studio'] as const;
export type ChannelWebhookKind = (typeof CHANNEL_WEBHOOK_TYPES)[number];

/** Twilio: "up to a total of 5 trigger strings". */
export const MAX_WEBHOOK_TRIGGERS = 5;

/** Channel webhook `configuration` as Twilio renders it: the keys that were set. */
export const channelWebhookConfigurationSchema = z.object({
  url: z.string().optional(),
  method: z.enum(['GET', 'POST']).optional(),
  filters: z.array(z.string()).optional(),
  triggers: z.array(z.string()).optional(),
  flow_sid: z.string().optional(),
  retry_count: z.number().int().optional(),
});
export type ChannelWebhookConfigurationJson = z.infer<typeof channelWebhookConfigurationSchema>;

/** `chat.v2.service.channel.channel_webhook` on the wire between services: Twilio's fields without `url`. */
export const channelWebhookResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  service_sid: z.string(),
  channel_sid: z.string(),
  type: z.enum(CHANNEL_WEBHOOK_TYPES),
  configuration: channelWebhookConfigurationSchema,
  date_created: z.string(),
  date_updated: z.string(),
});
export type ChannelWebhookResource = z.infer<typeof channelWebhookResourceSchema>;

const webhookUrl = z.string().max(2048).regex(/^https?:\/\/\S+$/i, 'must be an http(s) URL');

/** The dotted `Configuration.*` form keys of Create/UpdateChannelWebhook. */
const configurationShape = {
  'Configuration.Url': webhookUrl.optional(),
  'Configuration.Method': z.enum(['GET', 'POST']).optional(),
  'Configuration.Filters': formStringArray(z.enum(WEBHOOK_FILTERS)).optional(),
  'Configuration.Triggers': formStringArray(z.string().min(1).max(256))
    .pipe(z.array(z.string()).max(MAX_WEBHOOK_TRIGGERS))
    .optional(),
  'Configuration.FlowSid': z.string().regex(/^FW[0-9a-fA-F]{32}$/, 'must be a FW sid').optional(),
  'Configuration.RetryCount': formInt(0, 3).optional(),
};

export const createChannelWebhookParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  ChannelSid: channelKeySchema,
  Type: z.enum(CHANNEL_WEBHOOK_TYPES),
  ...configurationShape,
});
export type CreateChannelWebhookParams = z.infer<typeof createChannelWebhookParamsSchema>;

export const updateChannelWebhookParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  ChannelSid: channelKeySchema,
  Sid: sidSchema('WH'),
  ...configurationShape,
});
export type UpdateChannelWebhookParams = z.infer<typeof updateChannelWebhookParamsSchema>;

export const channelWebhookSidParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  ChannelSid: channelKeySchema,
  Sid: sidSchema('WH'),
});

export const listChannelWebhookParamsSchema = z.object({
  ServiceSid: sidSchema('IS'),
  ChannelSid: channelKeySchema,
  ...pageParamsShape,
});
