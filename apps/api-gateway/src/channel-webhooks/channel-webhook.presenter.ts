import type { ChannelWebhookResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** `chat.v2.service.channel.channel_webhook` as Twilio renders it: message-service's resource plus its absolute `url`. */
export type ChannelWebhookJson = ChannelWebhookResource & { url: string };

export function presentChannelWebhook(urls: PublicUrls, webhook: ChannelWebhookResource): ChannelWebhookJson {
  return { ...webhook, url: urls.channelWebhook(webhook.service_sid, webhook.channel_sid, webhook.sid) };
}
