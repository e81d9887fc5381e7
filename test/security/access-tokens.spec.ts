import { startStack, type Stack } from '@parley/testing';
import { createSubaccount, seedTenant, type Tenant } from '../fuzz/support/tenant';
import { claims, handshake, sign, tamper, unsigned } from './support/handshake';

/**
 * The Access Token attack matrix at the Socket.IO handshake (DESIGN.md §6, access-token.md): every forged, foreign,
 * stale or bent token is refused with its Twilio code and status 401; the genuine one opens a session.
 */
describe('Access Token attacks at the socket handshake', () => {
  let stack: Stack;
  let url: string;
  let a: Tenant;
  let b: Tenant;
  let parent: Tenant;

  beforeAll(async () => {
    stack = await startStack({ label: 'sectokens', apps: ['message-service', 'presence-service', 'api-gateway', 'realtime-gateway'] });
    url = stack.get('realtime-gateway').url;
    const subA = await createSubaccount(stack, 'tenant a');
    const subB = await createSubaccount(stack, 'tenant b');
    a = await seedTenant(stack, subA.accountSid, subA.authToken, 'a');
    b = await seedTenant(stack, subB.accountSid, subB.authToken, 'b');
    parent = await seedTenant(stack, stack.accountSid, stack.authToken, 'parent');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const forA = (extra: Partial<Parameters<typeof claims>[0]> = {}) => claims({ keySid: a.keySid, accountSid: a.accountSid, serviceSid: a.serviceSid, ...extra });

  it('opens a session for a genuine token (the control case)', async () => {
    await expect(handshake(url, sign(forA(), a.keySecret))).resolves.toEqual({ session: true });
  });

  const attacks: [string, () => string | unknown, number][] = [
    ['alg none (unsigned)', () => unsigned(forA()), 20102],
    ['HS256 signed with a wrong key', () => sign(forA(), 'not-the-secret-of-this-key'), 20107],
    ['HS256 signed with the auth token (not an API key)', () => sign(claims({ keySid: a.accountSid, accountSid: a.accountSid, serviceSid: a.serviceSid }), a.authToken), 20103],
    ["another account's key, claiming this account", () => sign(claims({ keySid: b.keySid, accountSid: a.accountSid, serviceSid: a.serviceSid }), b.keySecret), 20103],
    ["another account's valid token naming this account's service", () => sign(claims({ keySid: b.keySid, accountSid: b.accountSid, serviceSid: a.serviceSid }), b.keySecret), 20106],
    ["the parent account's token naming a subaccount's service", () => sign(claims({ keySid: parent.keySid, accountSid: parent.accountSid, serviceSid: a.serviceSid }), parent.keySecret), 20106],
    ['a service that does not exist', () => sign(forA({ serviceSid: `IS${'0'.repeat(32)}` }), a.keySecret), 20106],
    ['an unknown key', () => sign(claims({ keySid: `SK${'1'.repeat(32)}`, accountSid: a.accountSid, serviceSid: a.serviceSid }), a.keySecret), 20103],
    ['expired', () => sign(forA({ iat: now() - 7200, exp: now() - 10 }), a.keySecret), 20104],
    ['nbf in the future', () => sign(forA({ nbf: now() + 600 }), a.keySecret), 20105],
    ['lifetime over 24 h', () => sign(forA({ exp: now() + 25 * 3600 }), a.keySecret), 20104],
    ['tampered grants (identity swapped, signature kept)', () => tamper(sign(forA(), a.keySecret), (p) => ((p.grants as Record<string, unknown>).identity = 'admin')), 20107],
    ['tampered grants (service swapped, signature kept)', () => tamper(sign(forA(), a.keySecret), (p) => ((p.grants as Record<string, unknown>).chat = { service_sid: b.serviceSid })), 20107],
    ['missing identity', () => sign(forA({ identity: null }), a.keySecret), 20106],
    ['empty identity', () => sign(forA({ identity: '' }), a.keySecret), 20106],
    ['missing chat grant', () => sign(forA({ chat: null }), a.keySecret), 20106],
    ["a deployment_role_sid of another account's service", () => sign(forA({ chat: { service_sid: a.serviceSid, deployment_role_sid: b.defaultRoles['service admin'] } }), a.keySecret), 20106],
    ['an identity shaped like a User sid', () => sign(forA({ identity: b.userSid }), a.keySecret), 20106],
    ['a header without the Twilio cty', () => sign(forA(), a.keySecret, { alg: 'HS256', typ: 'JWT' }), 20102],
    ['garbage', () => 'not.a.token', 20101],
    ['not a string', () => ({ token: 42 }), 20101],
    ['missing', () => undefined, 20101],
  ];

  it.each(attacks)('refuses %s with its Twilio code', async (_name, make, code) => {
    const answer = await handshake(url, make());
    expect(answer).toMatchObject({ code, status: 401 });
  });

  it('refuses a token after its API key was deleted', async () => {
    const key = await a.rest.newKeys.create({ friendlyName: 'short lived' });
    const token = sign(claims({ keySid: key.sid, accountSid: a.accountSid, serviceSid: a.serviceSid }), key.secret);
    await expect(handshake(url, token)).resolves.toEqual({ session: true });
    await a.rest.keys(key.sid).remove();
    await expect(handshake(url, token)).resolves.toMatchObject({ code: 20103, status: 401 });
  });
});
