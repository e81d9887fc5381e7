import { ParleyError, type Caller } from '@parley/contracts';
import { requireServiceAccess, requireSystem, requireSystemParams } from './caller-access';

const AC = `AC${'a'.repeat(32)}`;
const IS = `IS${'b'.repeat(32)}`;
const OTHER = `IS${'c'.repeat(32)}`;
const system: Caller = { accountSid: AC, actor: { kind: 'system' }, requestId: 'r' };
const user: Caller = { accountSid: AC, serviceSid: IS, actor: { kind: 'user', identity: 'alice' }, requestId: 'r' };

function outcome(run: () => void): string {
  try {
    run();
    return 'ok';
  } catch (err) {
    return err instanceof ParleyError ? `${err.status} ${err.code}` : 'other';
  }
}

describe('caller access', () => {
  it.each<[string, () => void, string]>([
    ['system on a system-only command', () => requireSystem(system), 'ok'],
    ['a user on a system-only command', () => requireSystem(user), '403 50107'],
    ['system in any service', () => requireServiceAccess(system, OTHER), 'ok'],
    ["a user in their token's service", () => requireServiceAccess(user, IS), 'ok'],
    ['a user in another service', () => requireServiceAccess(user, OTHER), '403 50107'],
    ['system with REST-only parameters', () => requireSystemParams(system, { RoleSid: 'RL1', Identity: 'x' }, ['RoleSid']), 'ok'],
    ['a user without REST-only parameters', () => requireSystemParams(user, { Identity: 'x' } as { Identity: string; RoleSid?: string }, ['RoleSid']), 'ok'],
    ['a user with a REST-only parameter', () => requireSystemParams(user, { RoleSid: 'RL1', Identity: 'x' }, ['RoleSid']), '403 50107'],
  ])('%s', (_, run, expected) => {
    expect(outcome(run)).toBe(expected);
  });
});
