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

/**
 * Parameters only a REST caller may pass (backfilled dates, roles, another author): an SDK user naming any of them
 * is refused with 50107 rather than having them ignored.
 */
export function requireSystemParams<P extends object>(caller: Caller, params: P, names: readonly (keyof P & string)[]): void {
  if (caller.actor.kind === 'user' && names.some((name) => params[name] !== undefined)) throw notAuthorized();
}
