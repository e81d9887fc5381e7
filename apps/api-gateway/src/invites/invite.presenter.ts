import type { InviteResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** `chat.v2.service.channel.invite` as Twilio renders it: message-service's resource plus its absolute `url`. */
export type InviteJson = InviteResource & { url: string };

export function presentInvite(urls: PublicUrls, invite: InviteResource): InviteJson {
  return { ...invite, url: urls.channelInvite(invite.service_sid, invite.channel_sid, invite.sid) };
}
