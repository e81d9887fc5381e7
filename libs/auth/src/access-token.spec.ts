import jwt from 'jsonwebtoken';
import twilio from 'twilio';
import { signAccessToken, verifyAccessToken, type KeyResolver } from './access-token';

const accountSid = `AC${'1'.repeat(32)}`;
const otherAccount = `AC${'2'.repeat(32)}`;
const keySid = `SK${'3'.repeat(32)}`;
const foreignKey = `SK${'4'.repeat(32)}`;
const secret = 'the-api-key-secret';
const serviceSid = `IS${'5'.repeat(32)}`;
const now = Math.floor(Date.now() / 1000);

const keys: KeyResolver = async (sid) =>
  sid === keySid ? { accountSid, secret } : sid === foreignKey ? { accountSid: otherAccount, secret } : null;

function helperToken(opts: { ttl?: number; identity?: string; nbf?: number; service?: string; alg?: 'HS256' | 'HS384' | 'HS512'; key?: string; sub?: string; grant?: boolean } = {}) {
  const token = new twilio.jwt.AccessToken(opts.sub ?? accountSid, opts.key ?? keySid, secret, {
    identity: opts.identity ?? 'alice',
    ttl: opts.ttl ?? 3600,
    nbf: opts.nbf,
  });
  if (opts.grant !== false) token.addGrant(new twilio.jwt.AccessToken.ChatGrant({ serviceSid: opts.service ?? serviceSid }));
  return token.toJwt(opts.alg);
}

function forged(header: object, payload: object, key = secret, alg: jwt.Algorithm = 'HS256'): string {
  return jwt.sign(payload, key, { algorithm: alg, header: { alg, ...header } as jwt.JwtHeader, noTimestamp: true });
}

const basePayload = () => ({ iss: keySid, sub: accountSid, iat: now, exp: now + 600, grants: { identity: 'alice', chat: { service_sid: serviceSid } } });

describe('verifyAccessToken', () => {
  it.each(['HS256', 'HS384', 'HS512'] as const)('accepts a token minted by the official helper with %s', async (alg) => {
    const claims = await verifyAccessToken(helperToken({ alg }), keys, now);
    expect(claims).toMatchObject({ accountSid, keySid, identity: 'alice', serviceSid });
  });

  it('accepts tokens signed by the tool signer', async () => {
    const token = signAccessToken({ accountSid, keySid, secret, identity: 'bob', serviceSid });
    await expect(verifyAccessToken(token, keys, now)).resolves.toMatchObject({ identity: 'bob' });
  });

  const unsigned = (payload: object) =>
    `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', cty: 'twilio-fpa;v=1' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

  it.each<[string, () => string, number]>([
    ['garbage', () => 'not.a.jwt', 20101],
    ['alg none', () => unsigned(basePayload()), 20102],
    ['wrong cty', () => forged({ cty: 'application/json' }, basePayload()), 20102],
    ['bad signature', () => forged({ cty: 'twilio-fpa;v=1' }, basePayload(), 'wrong-secret'), 20107],
    ['unknown key', () => helperToken({ key: `SK${'9'.repeat(32)}` }), 20103],
    ["another account's key", () => helperToken({ key: foreignKey }), 20103],
    ['expired', () => forged({ cty: 'twilio-fpa;v=1' }, { ...basePayload(), exp: now - 1 }), 20104],
    ['lifetime over 24 h', () => helperToken({ ttl: 24 * 3600 + 60 }), 20104],
    ['not yet valid', () => helperToken({ nbf: now + 600 }), 20105],
    ['no chat grant', () => helperToken({ grant: false }), 20106],
    ['no identity', () => forged({ cty: 'twilio-fpa;v=1' }, { ...basePayload(), grants: { chat: { service_sid: serviceSid } } }), 20106],
    ['tampered grants', () => {
      const [h, , s] = helperToken().split('.');
      const payload = { ...basePayload(), grants: { identity: 'mallory', chat: { service_sid: serviceSid } } };
      return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    }, 20107],
  ])('rejects %s', async (_name, make, code) => {
    await expect(verifyAccessToken(make(), keys, now)).rejects.toMatchObject({ code, status: 401 });
  });
});
