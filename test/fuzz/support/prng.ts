/**
 * A tiny seeded PRNG (mulberry32) and the choices the fuzzers make with it: the same seed gives the same
 * sequence of requests and events, so a failure is reproduced with `FUZZ_SEED=<seed> npx jest test/fuzz`.
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[this.int(0, 15)];
    return out;
  }

  /** Random printable and not-so-printable characters (valid UTF-16: no lone surrogates). */
  text(maxLength: number): string {
    const length = this.int(0, maxLength);
    let out = '';
    for (let i = 0; i < length; i++) out += String.fromCodePoint(this.pick(CODE_POINT_RANGES.map(([a, b]) => () => this.int(a, b)))());
    return out;
  }
}

const CODE_POINT_RANGES: [number, number][] = [
  [0x20, 0x7e], // ASCII
  [0x00, 0x1f], // control characters, NUL included
  [0xa0, 0x2ff], // Latin
  [0x590, 0x6ff], // Hebrew, Arabic (right to left)
  [0x200b, 0x202e], // zero-width and bidi overrides
  [0x4e00, 0x9fff], // CJK
  [0x1f300, 0x1faff], // emoji (astral plane)
  [0xfff0, 0xffff], // specials, noncharacters
];

/** The seed of this run: FUZZ_SEED when set (decimal or 0x hex), else a fixed default, so CI runs are identical. */
export function fuzzSeed(fallback = 0x5eed2026): number {
  const raw = process.env.FUZZ_SEED;
  if (!raw) return fallback;
  const value = raw.startsWith('0x') ? Number.parseInt(raw, 16) : Number.parseInt(raw, 10);
  if (!Number.isFinite(value)) throw new Error(`FUZZ_SEED must be an integer, got ${raw}`);
  return value >>> 0;
}

/** Strings that have broken other servers: injection, traversal, format strings, odd encodings. */
export const NASTY_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE messages; --",
  '" OR ""="',
  "1; SELECT pg_sleep(5)--",
  "admin'--",
  '$1',
  '%s%s%s%n',
  '{{7*7}}',
  '${jndi:ldap://127.0.0.1/a}',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/dev/null',
  '\u0000',
  '\u0000\u0000NUL',
  '\uFEFF',
  '\u202Egnp.exe',
  'null',
  'undefined',
  'NaN',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '{"__proto__":{"admin":true}}',
  '{"a":"\\u0000"}',
  '{"a":"\\ud800"}',
  '<script>alert(1)</script>',
  '😀'.repeat(64),
  'Z̴̡̪̫͖̗̰̞̐̈́̒a̶̢̰̟͎̿l̵̨̛̪̺g̶o',
  ' ',
  '',
  '-1',
  '0',
  '1e309',
  '99999999999999999999999',
  '0x7fffffff',
  '2147483648',
  '-2147483649',
  '1.5',
];
