import type { UserChannelResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** `chat.v2.service.user.user_channel` as Twilio renders it: plus its absolute `url` and `links`. */
export type UserChannelJson = UserChannelResource & { url: string; links: ReturnType<PublicUrls['userChannelLinks']> };

export function presentUserChannel(urls: PublicUrls, entry: UserChannelResource): UserChannelJson {
  return {
    ...entry,
    url: urls.userChannel(entry.service_sid, entry.user_sid, entry.channel_sid),
    links: urls.userChannelLinks(entry.service_sid, entry.channel_sid, entry.member_sid),
  };
}
