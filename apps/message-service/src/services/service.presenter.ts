import { twilioDate, type ServiceResource } from '@parley/contracts';
import type { ServiceEntity } from '../database/entities';
import { completeMedia, completeNotifications } from './service-settings';

/** A Service row as `chat.v2.service` on the wire; the edge adds `url` and `links`. */
export function presentService(row: ServiceEntity): ServiceResource {
  return {
    sid: row.sid,
    account_sid: row.accountSid,
    friendly_name: row.friendlyName,
    date_created: twilioDate(row.dateCreated),
    date_updated: twilioDate(row.dateUpdated),
    default_service_role_sid: row.defaultServiceRoleSid,
    default_channel_role_sid: row.defaultChannelRoleSid,
    default_channel_creator_role_sid: row.defaultChannelCreatorRoleSid,
    read_status_enabled: row.readStatusEnabled,
    reachability_enabled: row.reachabilityEnabled,
    typing_indicator_timeout: row.typingIndicatorTimeout,
    consumption_report_interval: row.consumptionReportInterval,
    limits: { channel_members: row.limitsChannelMembers, user_channels: row.limitsUserChannels },
    pre_webhook_url: row.preWebhookUrl,
    post_webhook_url: row.postWebhookUrl,
    webhook_method: row.webhookMethod,
    // The spec's examples render the filter list as an array, so an unset one is [] rather than null.
    webhook_filters: [...(row.webhookFilters ?? [])],
    pre_webhook_retry_count: row.preWebhookRetryCount,
    post_webhook_retry_count: row.postWebhookRetryCount,
    notifications: completeNotifications(row.notifications),
    media: completeMedia(row.media),
  };
}
