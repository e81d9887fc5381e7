import type { MemberResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** `chat.v2.service.channel.member` as Twilio renders it: message-service's resource plus its absolute `url`. */
export type MemberJson = MemberResource & { url: string };

export function presentMember(urls: PublicUrls, member: MemberResource): MemberJson {
  return { ...member, url: urls.channelMember(member.service_sid, member.channel_sid, member.sid) };
}
