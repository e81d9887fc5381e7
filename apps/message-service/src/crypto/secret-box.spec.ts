import { SecretBox } from './secret-box';

const KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const OTHER_KEY = 'ff'.repeat(32);

describe('SecretBox', () => {
  const box = new SecretBox(KEY);

  it.each([['a secret'], [''], ['ünïcødé ✓'], ['x'.repeat(10_000)]])('round-trips %#', (plaintext) => {
    expect(box.open(box.seal(plaintext, 'SK1'), 'SK1')).toBe(plaintext);
  });

  it('uses a fresh IV each time, so equal secrets do not look equal at rest', () => {
    expect(box.seal('same', 'SK1')).not.toBe(box.seal('same', 'SK1'));
  });

  it('does not contain the plaintext', () => {
    const sealed = box.seal('plain-secret-value', 'SK1');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('plain-secret-value');
  });

  const sealed = box.seal('a secret', 'SK1');
  const [v, iv, ct, tag] = sealed.split('.') as [string, string, string, string];
  const flip = (part: string) => {
    const bytes = Buffer.from(part, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    return bytes.toString('base64url');
  };

  it.each([
    ['another context', () => box.open(sealed, 'SK2')],
    ['another key', () => new SecretBox(OTHER_KEY).open(sealed, 'SK1')],
    ['a modified ciphertext', () => box.open([v, iv, flip(ct), tag].join('.'), 'SK1')],
    ['a modified IV', () => box.open([v, flip(iv), ct, tag].join('.'), 'SK1')],
    ['a modified tag', () => box.open([v, iv, ct, flip(tag)].join('.'), 'SK1')],
    ['a truncated tag', () => box.open([v, iv, ct, Buffer.from(tag, 'base64url').subarray(0, 8).toString('base64url')].join('.'), 'SK1')],
    ['an unknown version', () => box.open(['v2', iv, ct, tag].join('.'), 'SK1')],
    ['a malformed value', () => box.open('garbage', 'SK1')],
  ])('refuses %s', (_, attempt) => {
    expect(attempt).toThrow();
  });

  it.each([['short'], ['zz'.repeat(32)], ['00'.repeat(16)]])('rejects key %p', (key) => {
    expect(() => new SecretBox(key)).toThrow('64 hex');
  });
});
