import type { Caller } from '@parley/contracts';
import { requireServiceAccess, resolveSdkTarget } from './caller-access';

const AC = `AC${'a'.repeat(32)}`;
const IS1 = `IS${'1'.repeat(32)}`;
const IS2 = `IS${'2'.repeat(32)}`;
const system: Caller = { accountSid: AC, actor: { kind: 'system' }, requestId: 'r' };
const user = (serviceSid: string | undefined, identity = 'ann'): Caller => ({
  accountSid: AC,
  ...(serviceSid && { serviceSid }),
  actor: { kind: 'user', identity },
  requestId: 'r',
});

const outcome = (run: () => unknown) => {
  try {
    return { ok: run() };
  } catch (err) {
    return { code: (err as { code: number }).code, status: (err as { status: number }).status };
  }
};

describe('resolveSdkTarget', () => {
  it.each<[string, Caller, { serviceSid?: string; identity?: string }, unknown]>([
    ["a user's own identity in its service", user(IS1), {}, { ok: { serviceSid: IS1, identity: 'ann' } }],
    ['a user naming itself', user(IS1), { identity: 'ann', serviceSid: IS1 }, { ok: { serviceSid: IS1, identity: 'ann' } }],
    ['a user naming someone else', user(IS1), { identity: 'bob' }, { code: 50107, status: 403 }],
    ['a user in another service', user(IS1), { serviceSid: IS2 }, { code: 50107, status: 403 }],
    ['a system caller naming both', system, { serviceSid: IS1, identity: 'bob' }, { ok: { serviceSid: IS1, identity: 'bob' } }],
    ['a system caller without identity', system, { serviceSid: IS1 }, { code: 20001, status: 400 }],
    ['no service anywhere', system, { identity: 'bob' }, { code: 20001, status: 400 }],
  ])('%s', (_, caller, params, expected) => {
    expect(outcome(() => resolveSdkTarget(caller, params))).toEqual(expected);
  });
});

describe('requireServiceAccess', () => {
  it.each<[string, Caller, boolean]>([
    ['system anywhere', system, true],
    ['a user in its service', user(IS1), true],
    ['a user elsewhere', user(IS2), false],
    ['a user without service', user(undefined), false],
  ])('%s', (_, caller, allowed) => {
    expect('ok' in outcome(() => requireServiceAccess(caller, IS1))).toBe(allowed);
  });
});
