import type { MessageResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** `chat.v2.service.channel.message` as Twilio renders it: message-service's resource plus its absolute `url`. */
export type MessageJson = MessageResource & { url: string };

export function presentMessage(urls: PublicUrls, message: MessageResource): MessageJson {
  return { ...message, url: urls.channelMessage(message.service_sid, message.channel_sid, message.sid) };
}
