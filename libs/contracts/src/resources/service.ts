import { z } from 'zod';
import { formBoolean, formInt, formStringArray } from '../form';
import { sidSchema } from '../sid';

const notificationSchema = z.object({
  enabled: z.boolean(),
  template: z.string().nullable(),
  sound: z.string().nullable(),
});

/** `chat.v2.service` on the wire between services: Twilio's fields, without `url`/`links` (the edge adds them). */
export const serviceResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  friendly_name: z.string(),
  date_created: z.string(),
  date_updated: z.string(),
  default_service_role_sid: z.string().nullable(),
  default_channel_role_sid: z.string().nullable(),
  default_channel_creator_role_sid: z.string().nullable(),
  read_status_enabled: z.boolean(),
  reachability_enabled: z.boolean(),
  typing_indicator_timeout: z.number().int(),
  consumption_report_interval: z.number().int(),
  limits: z.object({ channel_members: z.number().int(), user_channels: z.number().int() }),
  pre_webhook_url: z.string().nullable(),
  post_webhook_url: z.string().nullable(),
  webhook_method: z.string(),
  webhook_filters: z.array(z.string()).nullable(),
  pre_webhook_retry_count: z.number().int(),
  post_webhook_retry_count: z.number().int(),
  notifications: z.object({
    log_enabled: z.boolean(),
    new_message: notificationSchema.extend({ badge_count_enabled: z.boolean() }),
    added_to_channel: notificationSchema,
    removed_from_channel: notificationSchema,
    invited_to_channel: notificationSchema,
  }),
  media: z.object({ size_limit_mb: z.number().int(), compatibility_message: z.string().nullable() }),
});
export type ServiceResource = z.infer<typeof serviceResourceSchema>;

/** Webhook events a Service may subscribe to (Twilio Chat webhook-events). */
export const WEBHOOK_FILTERS = [
  'onMessageSend', 'onMessageRemove', 'onMessageUpdate', 'onMediaMessageSend', 'onChannelAdd', 'onChannelUpdate',
  'onChannelDestroy', 'onMemberAdd', 'onMemberUpdate', 'onMemberRemove', 'onUserAdded', 'onUserUpdate',
  'onMessageSent', 'onMessageRemoved', 'onMessageUpdated', 'onMediaMessageSent', 'onChannelAdded', 'onChannelUpdated',
  'onChannelDestroyed', 'onMemberAdded', 'onMemberUpdated', 'onMemberRemoved', 'onUserUpdated',
] as const;

const url = z.string().max(2048).regex(/^https?:\/\/\S+$/i, 'must be an http(s) URL');
const template = z.string().max(100);
const sound = z.string().max(100);

export const createServiceParamsSchema = z.object({
  FriendlyName: z.string().min(1).max(256),
});

export const updateServiceParamsSchema = z.object({
  Sid: sidSchema('IS'),
  FriendlyName: z.string().max(256).optional(),
  DefaultServiceRoleSid: sidSchema('RL').optional(),
  DefaultChannelRoleSid: sidSchema('RL').optional(),
  DefaultChannelCreatorRoleSid: sidSchema('RL').optional(),
  ReadStatusEnabled: formBoolean.optional(),
  ReachabilityEnabled: formBoolean.optional(),
  TypingIndicatorTimeout: formInt(1, 3600).optional(),
  ConsumptionReportInterval: formInt(1, 3600).optional(),
  'Notifications.NewMessage.Enabled': formBoolean.optional(),
  'Notifications.NewMessage.Template': template.optional(),
  'Notifications.NewMessage.Sound': sound.optional(),
  'Notifications.NewMessage.BadgeCountEnabled': formBoolean.optional(),
  'Notifications.AddedToChannel.Enabled': formBoolean.optional(),
  'Notifications.AddedToChannel.Template': template.optional(),
  'Notifications.AddedToChannel.Sound': sound.optional(),
  'Notifications.RemovedFromChannel.Enabled': formBoolean.optional(),
  'Notifications.RemovedFromChannel.Template': template.optional(),
  'Notifications.RemovedFromChannel.Sound': sound.optional(),
  'Notifications.InvitedToChannel.Enabled': formBoolean.optional(),
  'Notifications.InvitedToChannel.Template': template.optional(),
  'Notifications.InvitedToChannel.Sound': sound.optional(),
  'Notifications.LogEnabled': formBoolean.optional(),
  PreWebhookUrl: url.optional(),
  PostWebhookUrl: url.optional(),
  WebhookMethod: z.enum(['GET', 'POST']).optional(),
  WebhookFilters: formStringArray(z.enum(WEBHOOK_FILTERS)).optional(),
  'Limits.ChannelMembers': formInt(1, 1000).optional(),
  'Limits.UserChannels': formInt(1, 1000).optional(),
  'Media.CompatibilityMessage': z.string().max(1000).optional(),
  PreWebhookRetryCount: formInt(0, 3).optional(),
  PostWebhookRetryCount: formInt(0, 3).optional(),
});
export type UpdateServiceParams = z.infer<typeof updateServiceParamsSchema>;

export const serviceSidParamsSchema = z.object({ Sid: sidSchema('IS') });
