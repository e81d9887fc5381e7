import type { AccountResource } from '@parley/contracts';

/** `api.v2010.account` as Twilio renders it: message-service's resource plus its relative `uri`s. */
export type AccountJson = AccountResource & { subresource_uris: { keys: string }; uri: string };

export const accountsPath = (): string => '/2010-04-01/Accounts.json';
export const accountPath = (sid: string): string => `/2010-04-01/Accounts/${sid}.json`;
export const keysPath = (accountSid: string): string => `/2010-04-01/Accounts/${accountSid}/Keys.json`;

/** Only the sub-resources Parley serves are listed (Twilio's telephony ones would all answer 404 here). */
export function presentAccount(account: AccountResource): AccountJson {
  return { ...account, subresource_uris: { keys: keysPath(account.sid) }, uri: accountPath(account.sid) };
}
