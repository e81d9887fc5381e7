import type { CredentialResource } from '@parley/contracts';
import type { PublicUrls } from '../http/urls';

/** `chat.v2.credential` as Twilio renders it: message-service's resource plus its absolute `url`. */
export type CredentialJson = CredentialResource & { url: string };

export function presentCredential(urls: PublicUrls, credential: CredentialResource): CredentialJson {
  return { ...credential, url: urls.credential(credential.sid) };
}
