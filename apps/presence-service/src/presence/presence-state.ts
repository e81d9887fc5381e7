import type { ReachabilityReason, UserReachability } from '@parley/contracts';

/**
 * The reachability rules, kept pure (the Redis scripts only record facts: a user's live connections and push
 * notifiability before and after each change; these functions decide what those facts mean).
 *
 * - A user is online while it has at least one live connection: offline after the last one closes (or is swept).
 * - Notifiable means at least one push binding; unknown (null) until message-service has reported on the user.
 * - Only transitions are reported: a second connection, or a report that changes nothing, is silent.
 */

/** What presence knows about one user of one Service at one instant. */
export interface PresenceSnapshot {
  connections: number;
  notifiable: boolean | null;
}

/** A reachability transition: the user's state after it, and which parts changed. */
export interface ReachabilityChange {
  is_online: boolean;
  is_notifiable: boolean | null;
  reasons: ReachabilityReason[];
}

export const isOnline = (s: PresenceSnapshot): boolean => s.connections > 0;

/** The transition from `before` to `after`, or null when neither the online state nor notifiability changed. */
export function reachabilityChange(before: PresenceSnapshot, after: PresenceSnapshot): ReachabilityChange | null {
  const reasons: ReachabilityReason[] = [];
  if (isOnline(before) !== isOnline(after)) reasons.push('reachabilityOnline');
  // Unknown counts as not notifiable: a first report of "no binding" changes nothing a subscriber could see.
  if ((before.notifiable ?? false) !== (after.notifiable ?? false)) reasons.push('reachabilityNotifiable');
  return reasons.length ? { is_online: isOnline(after), is_notifiable: after.notifiable, reasons } : null;
}

/** What presence holds for a reachability query about one user. */
export interface ReachabilityFacts {
  /** The Service's reachability_enabled. */
  enabled: boolean;
  /** When presence saw it turned on (epoch ms), if known. */
  enabledSince: number | null;
  connections: number;
  /** The last instant the user was known online (epoch ms), if ever. */
  lastSeen: number | null;
  notifiable: boolean | null;
}

/**
 * Fetch User / getUser: null while reachability is off; `is_online` null too while the user has not been online
 * since reachability was turned on (Twilio's "never online").
 */
export function reachabilityView(facts: ReachabilityFacts): Omit<UserReachability, 'identity'> {
  if (!facts.enabled) return { is_online: null, is_notifiable: null };
  const seenSinceEnabled = facts.lastSeen !== null && (facts.enabledSince === null || facts.lastSeen >= facts.enabledSince);
  return {
    is_online: facts.connections > 0 ? true : seenSinceEnabled ? false : null,
    is_notifiable: facts.notifiable,
  };
}
