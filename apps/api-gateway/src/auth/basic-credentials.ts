import { isSid } from '@parley/contracts';

export interface BasicCredentials {
  username: string;
  password: string;
}

/** The contract's bound on secrets (`authenticateRequestSchema`); longer ones cannot be valid. */
const MAX_PASSWORD_LENGTH = 256;

/**
 * Reads `Authorization: Basic base64(user:pass)` (RFC 7617). The user must be an Account sid (AC…) or an
 * API Key sid (SK…), as in Twilio; anything else is null, so hopeless headers cost no NATS round trip.
 */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | null {
  const match = header ? /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (!isSid(username, 'AC') && !isSid(username, 'SK')) return null;
  if (password.length === 0 || password.length > MAX_PASSWORD_LENGTH) return null;
  return { username, password };
}
