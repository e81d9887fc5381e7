import type { ChannelResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** `chat.v2.service.channel` as Twilio renders it: no `last_message` field, its sid only in `links.last_message`. */
export type ChannelJson = Omit<ChannelResource, 'last_message'> & { url: string; links: ReturnType<PublicUrls['channelLinks']> };

export function presentChannel(urls: PublicUrls, channel: ChannelResource): ChannelJson {
  const { last_message: lastMessage, ...fields } = channel;
  return {
    ...fields,
    url: urls.channel(channel.service_sid, channel.sid),
    links: urls.channelLinks(channel.service_sid, channel.sid, lastMessage?.sid ?? null),
  };
}
