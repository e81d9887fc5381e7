/**
 * When to warn about and enforce a token's expiry, in ms from `nowMs`. The warning comes
 * `warningSeconds` before expiry, but never before the middle of the token's remaining life,
 * so a short-lived token is not "about to expire" the moment it connects.
 */
export function tokenSchedule(expiresAtSeconds: number, nowMs: number, warningSeconds: number): { warnInMs: number; expireInMs: number } {
  const expireInMs = Math.max(0, expiresAtSeconds * 1000 - nowMs);
  const warnInMs = Math.max(expireInMs - warningSeconds * 1000, Math.floor(expireInMs / 2));
  return { warnInMs, expireInMs };
}
