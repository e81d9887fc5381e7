import type { RoleResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** `chat.v2.service.role` as Twilio renders it: message-service's resource plus its absolute `url`. */
export type RoleJson = RoleResource & { url: string };

export function presentRole(urls: PublicUrls, role: RoleResource): RoleJson {
  return { ...role, url: urls.role(role.service_sid, role.sid) };
}
