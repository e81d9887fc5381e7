import { twilioDate, type ChannelWebhookConfigurationJson, type ChannelWebhookResource } from '@parley/contracts';
import type { ChannelWebhookConfiguration, ChannelWebhookEntity } from '../database/entities';

/** Only the keys that are set, as Twilio renders a webhook's configuration. */
function presentConfiguration(config: ChannelWebhookConfiguration): ChannelWebhookConfigurationJson {
  const out: ChannelWebhookConfigurationJson = {};
  if (config.url != null) out.url = config.url;
  if (config.method != null) out.method = config.method;
  if (config.filters != null) out.filters = [...config.filters];
  if (config.triggers != null) out.triggers = [...config.triggers];
  if (config.flow_sid != null) out.flow_sid = config.flow_sid;
  if (config.retry_count != null) out.retry_count = config.retry_count;
  return out;
}

/** A Channel Webhook row as `chat.v2.service.channel.channel_webhook` on the wire; the REST edge adds `url`. */
export function presentChannelWebhook(row: ChannelWebhookEntity): ChannelWebhookResource {
  return {
    sid: row.sid,
    account_sid: row.accountSid,
    service_sid: row.serviceSid,
    channel_sid: row.channelSid,
    type: row.type,
    configuration: presentConfiguration(row.configuration ?? {}),
    date_created: twilioDate(row.dateCreated),
    date_updated: twilioDate(row.dateUpdated),
  };
}
