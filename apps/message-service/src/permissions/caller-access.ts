import { ErrorCode, Errors, type Caller, type ParleyError } from '@parley/contracts';

/*
 * What a caller may address. REST callers (`system`) act for the account; SDK callers (`user`) act for one
 * identity in the Service of their token. These are the boundaries that hold whatever the roles say; the role
 * permissions are checked by channel-access.ts.
 */

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

export interface SdkTarget {
  serviceSid: string;
  identity: string;
}

/**
 * The Service and identity an SDK command acts on: the caller's own by default. A user may act only as itself;
 * a system caller must name both.
 */
export function resolveSdkTarget(caller: Caller, params: { serviceSid?: string; identity?: string }): SdkTarget {
  const serviceSid = params.serviceSid ?? caller.serviceSid;
  if (serviceSid === undefined) throw Errors.missingParameter('serviceSid');
  if (caller.actor.kind === 'user') {
    if (caller.serviceSid !== undefined && caller.serviceSid !== serviceSid) throw notAuthorized();
    if (params.identity !== undefined && params.identity !== caller.actor.identity) throw notAuthorized();
    return { serviceSid, identity: caller.actor.identity };
  }
  if (params.identity === undefined) throw Errors.missingParameter('identity');
  return { serviceSid, identity: params.identity };
}
