import { ErrorCode, ParleyError, type AccountStatusValue } from '@parley/contracts';
import type { AccountEntity } from '../database/entities';

/*
 * What the Accounts resource allows (Twilio error 21100 "Accounts Resource"): subaccounts are one level
 * deep and created by a main account; only the owner changes a subaccount's status; a main account's status
 * never changes through the API; a closed account is closed for good.
 */

type AccountFacts = Pick<AccountEntity, 'sid' | 'ownerAccountSid' | 'status'>;

const forbidden = (message: string) => new ParleyError(ErrorCode.AccountsResource, message, 403);
const invalid = (message: string) => new ParleyError(ErrorCode.AccountsResource, message, 400);

export function subaccountCreationProblem(caller: AccountFacts): ParleyError | null {
  return caller.ownerAccountSid === null ? null : forbidden('A subaccount cannot create subaccounts');
}

/** Null when `callerSid` may set `target`'s status to `requested` (an unchanged status is always fine). */
export function statusChangeProblem(target: AccountFacts, callerSid: string, requested: AccountStatusValue | undefined): ParleyError | null {
  if (requested === undefined || requested === target.status) return null;
  if (target.ownerAccountSid === null) return invalid("A main account's status cannot be changed");
  if (target.ownerAccountSid !== callerSid) return forbidden("Only the owner account can change a subaccount's status");
  if (target.status === 'closed') return invalid('A closed account cannot be reopened');
  return null;
}

/** Twilio's default FriendlyName of a subaccount: `SubAccount Created at {YYYY-MM-DD HH:MM meridian}` (UTC). */
export function defaultSubaccountName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const hours = now.getUTCHours();
  const clock = `${pad(hours % 12 === 0 ? 12 : hours % 12)}:${pad(now.getUTCMinutes())} ${hours < 12 ? 'am' : 'pm'}`;
  return `SubAccount Created at ${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())} ${clock}`;
}
