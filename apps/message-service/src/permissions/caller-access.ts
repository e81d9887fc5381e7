import { ErrorCode, Errors, type Caller, type ParleyError } from '@parley/contracts';

/** Twilio's 403 for a role or permission check that failed. */
export function notAuthorized(): ParleyError {
  return Errors.forbidden(ErrorCode.NotAuthorized, 'User not authorized for command');
}

/** Commands only a REST caller (account credentials, `system`) may use; an SDK user is refused with 50107. */
export function requireSystem(caller: Caller): void {
  if (caller.actor.kind !== 'system') throw notAuthorized();
}

/** An SDK user acts inside the Service of their token only. */
export function requireServiceAccess(caller: Caller, serviceSid: string): void {
  if (caller.actor.kind === 'user' && caller.serviceSid !== serviceSid) throw notAuthorized();
}
