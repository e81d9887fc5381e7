import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const derivedKeys = new Map<string, Buffer>();

/** The hashing key is derived from the server key, separate from the encryption key. */
function hashKey(serverKeyHex: string): Buffer {
  let key = derivedKeys.get(serverKeyHex);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(serverKeyHex, 'hex'), Buffer.alloc(0), 'parley/auth-token-hash/v1', 32));
    derivedKeys.set(serverKeyHex, key);
  }
  return key;
}

/**
 * Hashes an auth token for storage: HMAC-SHA256 keyed with the server key (a pepper), hex.
 * A fast keyed hash fits because auth tokens are high-entropy random strings (no dictionary to guess from)
 * and every REST request verifies one: bcrypt/scrypt would cost milliseconds of CPU per request and cap
 * throughput. The key means a leaked table alone does not allow offline checks of candidate tokens.
 */
export function hashAuthToken(serverKeyHex: string, token: string): string {
  return createHmac('sha256', hashKey(serverKeyHex)).update(token, 'utf8').digest('hex');
}

/** Compares two strings in time independent of where they differ (lengths may differ; that is not hidden). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
