import { Errors, isSid, type Caller, type SidPrefix } from '@parley/contracts';
import { notAuthorized } from '../permissions/caller-access';

/*
 * What a caller may address. REST callers (`system`) act for the account; SDK callers (`user`) act for one
 * identity in the Service of their token. These are the boundaries that hold whatever the roles say; the role
 * permissions are checked by permissions/channel-access.ts.
 */

/** An SDK caller only reaches the Service its token was issued for. */
export function assertServiceScope(caller: Caller, serviceSid: string): void {
  if (caller.actor.kind === 'user' && caller.serviceSid !== serviceSid) throw notAuthorized();
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

export interface SidKey {
  sid: string;
}

/** Keyset of the lists ordered by sid: page tokens are client input, so only a well-formed sid reaches SQL. */
export const parseSidKey =
  (prefix: SidPrefix) =>
  (raw: unknown): SidKey | null => {
    if (typeof raw !== 'object' || raw === null) return null;
    const { sid } = raw as Record<string, unknown>;
    return isSid(sid, prefix) ? { sid } : null;
  };
