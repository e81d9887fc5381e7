import type { BindingResource, UserResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** `chat.v2.service.user` as Twilio renders it: plus its absolute `url` and `links` {user_channels, user_bindings}. */
export type UserJson = UserResource & { url: string; links: ReturnType<PublicUrls['userLinks']> };

export function presentUser(urls: PublicUrls, user: UserResource): UserJson {
  return { ...user, url: urls.user(user.service_sid, user.sid), links: urls.userLinks(user.service_sid, user.sid) };
}

/** `chat.v2.service.user.user_binding`: a binding seen under its user, with its `url` there (no `links`). */
export type UserBindingJson = BindingResource & { url: string };

export function presentUserBinding(urls: PublicUrls, binding: BindingResource): UserBindingJson {
  return { ...binding, url: urls.userBinding(binding.service_sid, binding.user_sid, binding.sid) };
}
