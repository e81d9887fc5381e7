import type { BindingResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** `chat.v2.service.binding` as Twilio renders it: without `user_sid`, with `url` and `links` {user}. */
export type BindingJson = Omit<BindingResource, 'user_sid'> & { url: string; links: { user: string } };

export function presentBinding(urls: PublicUrls, binding: BindingResource): BindingJson {
  const { user_sid: _userSid, ...fields } = binding;
  return {
    ...fields,
    url: urls.binding(binding.service_sid, binding.sid),
    links: urls.bindingLinks(binding.service_sid, binding.identity),
  };
}
