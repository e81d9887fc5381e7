import { createHmac, hkdfSync } from 'node:crypto';
import { constantTimeEqual, hashAuthToken } from './token-hash';

const KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

describe('hashAuthToken', () => {
  it('is HMAC-SHA256 keyed with a key derived (HKDF) from the server key, hex', () => {
    const derived = Buffer.from(hkdfSync('sha256', Buffer.from(KEY, 'hex'), Buffer.alloc(0), 'parley/auth-token-hash/v1', 32));
    const expected = createHmac('sha256', derived).update('0123456789abcdef0123456789abcdef').digest('hex');
    expect(expected).not.toBe(createHmac('sha256', Buffer.from(KEY, 'hex')).update('0123456789abcdef0123456789abcdef').digest('hex'));
    expect(hashAuthToken(KEY, '0123456789abcdef0123456789abcdef')).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('depends on the key and on the token', () => {
    const base = hashAuthToken(KEY, 'token-a');
    expect(hashAuthToken('ff'.repeat(32), 'token-a')).not.toBe(base);
    expect(hashAuthToken(KEY, 'token-b')).not.toBe(base);
  });
});

describe('constantTimeEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
  ])('%p vs %p -> %p', (a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
  });
});
