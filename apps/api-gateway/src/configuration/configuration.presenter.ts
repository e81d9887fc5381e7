import type { ServiceConfigurationResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** `conversations.v1.service.service_configuration` as Twilio renders it: plus its absolute `url` and `links`. */
export type ServiceConfigurationJson = ServiceConfigurationResource & {
  url: string;
  links: ReturnType<PublicUrls['serviceConfigurationLinks']>;
};

export function presentConfiguration(urls: PublicUrls, configuration: ServiceConfigurationResource): ServiceConfigurationJson {
  const sid = configuration.chat_service_sid;
  return { ...configuration, url: urls.serviceConfiguration(sid), links: urls.serviceConfigurationLinks(sid) };
}
