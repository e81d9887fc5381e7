import type { ChannelResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** The fields of `chat.v2.service.channel` that REST renders as they travel (Parley's additions stay internal). */
type ChannelFields = Omit<ChannelResource, 'last_message' | 'membership'>;

/**
 * `chat.v2.service.channel` as Twilio renders it: no `last_message` field (its sid only in `links.last_message`),
 * and never an SDK user's `membership`. Fields are picked one by one, so nothing added to the wire resource leaks.
 */
export type ChannelJson = ChannelFields & { url: string; links: ReturnType<PublicUrls['channelLinks']> };

export function presentChannel(urls: PublicUrls, channel: ChannelResource): ChannelJson {
  return {
    sid: channel.sid,
    account_sid: channel.account_sid,
    service_sid: channel.service_sid,
    friendly_name: channel.friendly_name,
    unique_name: channel.unique_name,
    attributes: channel.attributes,
    type: channel.type,
    date_created: channel.date_created,
    date_updated: channel.date_updated,
    created_by: channel.created_by,
    members_count: channel.members_count,
    messages_count: channel.messages_count,
    url: urls.channel(channel.service_sid, channel.sid),
    links: urls.channelLinks(channel.service_sid, channel.sid, channel.last_message?.sid ?? null),
  };
}
