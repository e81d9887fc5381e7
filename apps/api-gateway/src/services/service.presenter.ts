import type { ServiceResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** `chat.v2.service` as Twilio renders it: message-service's resource plus its absolute `url` and `links`. */
export type ServiceJson = ServiceResource & { url: string; links: ReturnType<PublicUrls['serviceLinks']> };

export function presentService(urls: PublicUrls, service: ServiceResource): ServiceJson {
  return { ...service, url: urls.service(service.sid), links: urls.serviceLinks(service.sid) };
}
