import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Client } from 'pg';
import twilio from 'twilio';
import { newSid, type Caller } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import type { MessageConfig } from '../../../apps/message-service/src/config/message.config';
import { hashAuthToken } from '../../../apps/message-service/src/crypto/token-hash';
import { startMessageService, type MessageService, failureOf } from './harness';

/*
 * Accounts, subaccounts and realtime sessions of message-service over real NATS and Postgres: a database and a
 * NATS subject prefix of this file's own; Access Tokens minted by the official twilio helper.
 */

const { AccessToken } = twilio.jwt;
const { ChatGrant } = AccessToken;

describe('message-service: accounts, subaccounts and sessions over NATS', () => {
  let ms: MessageService;
  let config: MessageConfig;
  let pg: Client;
  let accountEvents: MessageService['accountEvents'];

  const caller = (accountSid?: string) => ms.system(accountSid);
  const send: MessageService['send'] = (subject, payload) => ms.send(subject, payload);
  const createSubaccount = (friendlyName?: string, owner?: string) =>
    send('chat.v1.cmd.account.create', { caller: caller(owner), params: friendlyName === undefined ? {} : { FriendlyName: friendlyName } });

  beforeAll(async () => {
    ms = await startMessageService('accounts', { empty: true });
    ({ config, pg, accountEvents } = ms);
  });

  afterAll(() => ms?.stop());

  describe('bootstrap account', () => {
    it('keeps a sealed copy of its token beside the hash, and shows it to itself', async () => {
      const { rows } = await pg.query('SELECT auth_token_hash, auth_token_encrypted FROM accounts WHERE sid = $1', [config.PARLEY_ACCOUNT_SID]);
      expect(rows[0].auth_token_hash).toBe(hashAuthToken(config.PARLEY_SECRET_KEY, config.PARLEY_AUTH_TOKEN));
      expect(rows[0].auth_token_encrypted).toMatch(/^v1\./);
      expect(rows[0].auth_token_encrypted).not.toContain(config.PARLEY_AUTH_TOKEN);
      const me = await send('chat.v1.cmd.account.fetch', { caller: caller(), params: { Sid: config.PARLEY_ACCOUNT_SID } });
      expect(me).toMatchObject({
        sid: config.PARLEY_ACCOUNT_SID,
        owner_account_sid: config.PARLEY_ACCOUNT_SID,
        auth_token: config.PARLEY_AUTH_TOKEN,
        status: 'active',
        type: 'Full',
      });
      expect(me.date_created).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    });
  });

  describe('subaccounts', () => {
    it('creates a subaccount with its own token, hashed and sealed, and authenticates with it', async () => {
      const sub = await createSubaccount('customer a');
      expect(sub).toMatchObject({
        sid: expect.stringMatching(/^AC[0-9a-f]{32}$/),
        friendly_name: 'customer a',
        owner_account_sid: config.PARLEY_ACCOUNT_SID,
        status: 'active',
        type: 'Full',
        auth_token: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      const { rows } = await pg.query('SELECT * FROM accounts WHERE sid = $1', [sub.sid]);
      expect(rows[0].auth_token_hash).toBe(hashAuthToken(config.PARLEY_SECRET_KEY, sub.auth_token!));
      expect(JSON.stringify(rows[0])).not.toContain(sub.auth_token);
      await expect(send('chat.v1.cmd.account.authenticate', { username: sub.sid, password: sub.auth_token! })).resolves.toEqual({
        accountSid: sub.sid,
        via: 'auth_token',
      });
      // The owner sees the token on fetch too, as Twilio shows it.
      await expect(send('chat.v1.cmd.account.fetch', { caller: caller(), params: { Sid: sub.sid } })).resolves.toEqual(sub);
    });

    it("names a subaccount as Twilio does when no FriendlyName is given", async () => {
      const sub = await createSubaccount();
      expect(sub.friendly_name).toMatch(/^SubAccount Created at \d{4}-\d{2}-\d{2} \d{2}:\d{2} (am|pm)$/);
    });

    it('lets an account see itself and its subaccounts only; anything else is 404 20404', async () => {
      const a = await createSubaccount('sibling a');
      const b = await createSubaccount('sibling b');
      const unknown = newSid('AC');
      for (const [who, target] of [
        [a.sid, config.PARLEY_ACCOUNT_SID],
        [a.sid, b.sid],
        [config.PARLEY_ACCOUNT_SID, unknown],
      ] as const) {
        expect(await failureOf(send('chat.v1.cmd.account.fetch', { caller: caller(who), params: { Sid: target } }))).toEqual({
          code: 20404,
          status: 404,
          message: `The requested resource /2010-04-01/Accounts/${target}.json was not found`,
        });
        expect(await failureOf(send('chat.v1.cmd.account.update', { caller: caller(who), params: { Sid: target, FriendlyName: 'x' } }))).toMatchObject({
          code: 20404,
        });
      }
      await expect(send('chat.v1.cmd.account.fetch', { caller: caller(a.sid), params: { Sid: a.sid } })).resolves.toMatchObject({ sid: a.sid });
      const own = await send('chat.v1.cmd.account.list', { caller: caller(a.sid), params: {} });
      expect(own.items.map((x) => x.sid)).toEqual([a.sid]);
    });

    it('refuses subaccounts of subaccounts (403 21100)', async () => {
      const sub = await createSubaccount('no nesting');
      expect(await failureOf(createSubaccount('nested', sub.sid))).toMatchObject({ code: 21100, status: 403 });
    });

    it('lists the account and its subaccounts across pages, with FriendlyName and Status filters', async () => {
      const owner = (await createSubaccount('list owner')).sid;
      // A main account of its own, so the listing is exactly known.
      await pg.query(`UPDATE accounts SET owner_account_sid = NULL WHERE sid = $1`, [owner]);
      const children = [];
      for (const name of ['c1', 'c2', 'c3', 'c4']) children.push(await createSubaccount(name, owner));
      const expected = [owner, ...children.map((c) => c.sid)];

      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await send('chat.v1.cmd.account.list', { caller: caller(owner), params: { PageSize: 2, ...(token && { PageToken: token }) } });
        seen.push(...page.items.map((x) => x.sid));
        token = page.nextPageToken ?? undefined;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(seen).toEqual(expected);

      await send('chat.v1.cmd.account.update', { caller: caller(owner), params: { Sid: children[1]!.sid, Status: 'suspended' } });
      const suspended = await send('chat.v1.cmd.account.list', { caller: caller(owner), params: { Status: 'suspended' } });
      expect(suspended.items.map((x) => x.sid)).toEqual([children[1]!.sid]);
      const named = await send('chat.v1.cmd.account.list', { caller: caller(owner), params: { FriendlyName: 'c3' } });
      expect(named.items.map((x) => x.sid)).toEqual([children[2]!.sid]);
    });

    it.each<[string, (ids: { main: string; sub: string }) => { who: string; target: string; status: 'active' | 'suspended' | 'closed' }, number]>([
      ['a main account suspending itself', ({ main }) => ({ who: main, target: main, status: 'suspended' }), 400],
      ['a main account closing itself', ({ main }) => ({ who: main, target: main, status: 'closed' }), 400],
      ['a subaccount suspending itself', ({ sub }) => ({ who: sub, target: sub, status: 'suspended' }), 403],
    ])('refuses %s with 21100', async (_case, pick, status) => {
      const sub = (await createSubaccount('status rules')).sid;
      const { who, target, status: requested } = pick({ main: config.PARLEY_ACCOUNT_SID, sub });
      expect(await failureOf(send('chat.v1.cmd.account.update', { caller: caller(who), params: { Sid: target, Status: requested } }))).toMatchObject({
        code: 21100,
        status,
      });
    });

    it('suspends, reactivates and closes a subaccount for good, announcing each change of credentials', async () => {
      const sub = await createSubaccount('lifecycle');
      const update = (params: { Status?: 'active' | 'suspended' | 'closed'; FriendlyName?: string }) =>
        send('chat.v1.cmd.account.update', { caller: caller(), params: { Sid: sub.sid, ...params } });
      const login = () => send('chat.v1.cmd.account.authenticate', { username: sub.sid, password: sub.auth_token! });

      await expect(update({ Status: 'suspended' })).resolves.toMatchObject({ status: 'suspended' });
      expect(await failureOf(login())).toMatchObject({ code: 20003, status: 401 });
      await waitFor(() => accountEvents.some((e) => e.accountSid === sub.sid && e.reason === 'status-changed'), {
        description: 'credentials.changed for the suspended subaccount',
      });

      await expect(update({ Status: 'active' })).resolves.toMatchObject({ status: 'active' });
      await expect(login()).resolves.toMatchObject({ accountSid: sub.sid });
      // A subaccount may rename itself.
      await expect(send('chat.v1.cmd.account.update', { caller: caller(sub.sid), params: { Sid: sub.sid, FriendlyName: 'renamed' } })).resolves.toMatchObject({
        friendly_name: 'renamed',
        status: 'active',
      });

      await expect(update({ Status: 'closed' })).resolves.toMatchObject({ status: 'closed' });
      expect(await failureOf(update({ Status: 'active' }))).toMatchObject({ code: 21100, status: 400 });
      expect(await failureOf(login())).toMatchObject({ code: 20003 });
      await waitFor(() => accountEvents.filter((e) => e.accountSid === sub.sid).length === 3, {
        description: 'one credentials.changed per status change',
      });
    });

    it('answers bad parameters with 400 20001 naming them', async () => {
      const cases: [Promise<unknown>, string][] = [
        [send('chat.v1.cmd.account.create', { caller: caller(), params: { FriendlyName: 'x'.repeat(65) } }), 'FriendlyName'],
        [send('chat.v1.cmd.account.update', { caller: caller(), params: { Sid: config.PARLEY_ACCOUNT_SID, Status: 'gone' as never } }), 'Status'],
        [send('chat.v1.cmd.account.list', { caller: caller(), params: { PageSize: '1001' } }), 'PageSize'],
        [send('chat.v1.cmd.account.list', { caller: caller(), params: { PageToken: 'PTbad' } }), 'PageToken'],
      ];
      for (const [attempt, parameter] of cases) {
        const error = await failureOf(attempt);
        expect({ parameter, error }).toMatchObject({ parameter, error: { code: 20001, status: 400 } });
        expect(error.message).toContain(parameter);
      }
    });

    it('refuses account management to SDK users (403 50107)', async () => {
      const user: Caller = { ...caller(), actor: { kind: 'user', identity: 'alice' } };
      expect(await failureOf(send('chat.v1.cmd.account.list', { caller: user, params: {} }))).toMatchObject({ code: 50107, status: 403 });
    });
  });

  describe('session.open', () => {
    let keySid: string;
    let secret: string;
    let serviceSid: string;
    let defaultRole: string;
    let other: { account: string; keySid: string; secret: string; serviceSid: string };

    /** A token as a backend mints it with the official helper. */
    function mint(
      options: { identity?: string; ttl?: number; nbf?: number; service?: string | null; key?: { sid: string; secret: string }; account?: string; role?: string } = {},
    ): string {
      const key = options.key ?? { sid: keySid, secret };
      const token = new AccessToken(options.account ?? config.PARLEY_ACCOUNT_SID, key.sid, key.secret, {
        identity: options.identity ?? 'alice',
        ttl: options.ttl ?? 3600,
        ...(options.nbf !== undefined && { nbf: options.nbf }),
      });
      if (options.service !== null) {
        token.addGrant(new ChatGrant({ serviceSid: options.service ?? serviceSid, ...(options.role && { deploymentRoleSid: options.role }) }));
      }
      return token.toJwt();
    }

    const open = (token: string) => send('chat.v1.cmd.session.open', { token });

    beforeAll(async () => {
      const key = await send('chat.v1.cmd.api-key.create', { caller: caller(), params: { AccountSid: config.PARLEY_ACCOUNT_SID, FriendlyName: 'tokens' } });
      keySid = key.sid;
      secret = key.secret;
      const service = await send('chat.v1.cmd.service.create', { caller: caller(), params: { FriendlyName: 'realtime' } });
      serviceSid = service.sid;
      defaultRole = service.default_service_role_sid!;

      const sub = await createSubaccount('token tenant');
      const subKey = await send('chat.v1.cmd.api-key.create', { caller: caller(), params: { AccountSid: sub.sid } });
      const subService = await send('chat.v1.cmd.service.create', { caller: caller(sub.sid), params: { FriendlyName: 'theirs' } });
      other = { account: sub.sid, keySid: subKey.sid, secret: subKey.secret, serviceSid: subService.sid };
    });

    it('opens a session for a valid token and creates the User with the default service role', async () => {
      const identity = `alice-${randomBytes(3).toString('hex')}`;
      const token = mint({ identity });
      const session = await open(token);
      const decoded = jwt.decode(token) as { exp: number };
      expect(session).toEqual({
        accountSid: config.PARLEY_ACCOUNT_SID,
        serviceSid,
        identity,
        userSid: expect.stringMatching(/^US[0-9a-f]{32}$/),
        roleSid: defaultRole,
        expiresAt: decoded.exp,
        reachabilityEnabled: false,
        user: {
          sid: session.userSid,
          account_sid: config.PARLEY_ACCOUNT_SID,
          service_sid: serviceSid,
          attributes: '{}',
          friendly_name: null,
          role_sid: defaultRole,
          identity,
          is_online: null,
          is_notifiable: null,
          date_created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
          date_updated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
          joined_channels_count: 0,
        },
      });
      // The next connection finds the same User.
      await expect(open(mint({ identity }))).resolves.toMatchObject({ userSid: session.userSid });
    });

    it('survives concurrent first connections of one identity: one User, every session gets it', async () => {
      const identity = `rush-${randomBytes(3).toString('hex')}`;
      const sessions = await Promise.all(Array.from({ length: 12 }, () => open(mint({ identity }))));
      expect(new Set(sessions.map((s) => s.userSid)).size).toBe(1);
      const { rows } = await pg.query('SELECT count(*)::int AS n FROM users WHERE service_sid = $1 AND identity = $2', [serviceSid, identity]);
      expect(rows[0].n).toBe(1);
    });

    it("gives a new User the grant's deployment role, which also overrides an existing User's role for the session", async () => {
      const { rows } = await pg.query<{ sid: string }>(`SELECT sid FROM roles WHERE service_sid = $1 AND friendly_name = 'service admin'`, [serviceSid]);
      const admin = rows[0]!.sid;
      const fresh = await open(mint({ identity: `admin-${randomBytes(3).toString('hex')}`, role: admin }));
      expect(fresh).toMatchObject({ roleSid: admin, user: { role_sid: admin } });
      const identity = `existing-${randomBytes(3).toString('hex')}`;
      await open(mint({ identity }));
      const existing = await open(mint({ identity, role: admin }));
      expect(existing.roleSid).toBe(admin);
      expect(existing.user.role_sid).toBe(defaultRole);
    });

    it('answers the identity\'s channels and invites with withChannels, as session.channels does, and only then', async () => {
      const identity = `rooms-${randomBytes(3).toString('hex')}`;
      const system = caller();
      const channel = (name: string) => send('chat.v1.cmd.channel.create', { caller: system, params: { ServiceSid: serviceSid, FriendlyName: name } });
      const [a, b, c, d] = await Promise.all([channel('a'), channel('b'), channel('c'), channel('d')]);
      await send('chat.v1.cmd.member.create', { caller: system, params: { ServiceSid: serviceSid, ChannelSid: a.sid, Identity: identity } });
      await send('chat.v1.cmd.member.create', { caller: system, params: { ServiceSid: serviceSid, ChannelSid: b.sid, Identity: identity } });
      await send('chat.v1.cmd.message.create', { caller: system, params: { ServiceSid: serviceSid, ChannelSid: b.sid, Body: 'hi' } });
      await send('chat.v1.cmd.invite.create', { caller: system, params: { ServiceSid: serviceSid, ChannelSid: c.sid, Identity: identity } });
      // Someone else's membership and a channel of nobody: in neither list.
      await send('chat.v1.cmd.member.create', { caller: system, params: { ServiceSid: serviceSid, ChannelSid: d.sid, Identity: `${identity}-other` } });

      const session = await send('chat.v1.cmd.session.open', { token: mint({ identity }), withChannels: true });
      const listed = await send('chat.v1.cmd.session.channels', { caller: ms.sdkUser(serviceSid, identity), params: {} });
      expect(session.channels).toEqual(listed.channels);
      expect(session.invited).toEqual(listed.invited);
      expect(session.channels!.map((ch) => [ch.sid, ch.membership?.status])).toEqual(
        [a.sid, b.sid].sort().map((sid) => [sid, 'joined']),
      );
      expect(session.invited!.map((ch) => [ch.sid, ch.membership?.status])).toEqual([[c.sid, 'invited']]);

      const plain = await open(mint({ identity }));
      expect(plain).not.toHaveProperty('channels');
      expect(plain).not.toHaveProperty('invited');
    });

    it('follows the Service: reachability_enabled as set', async () => {
      await send('chat.v1.cmd.service.update', { caller: caller(), params: { Sid: serviceSid, ReachabilityEnabled: true } });
      await expect(open(mint())).resolves.toMatchObject({ reachabilityEnabled: true });
      await send('chat.v1.cmd.service.update', { caller: caller(), params: { Sid: serviceSid, ReachabilityEnabled: false } });
    });

    const now = () => Math.floor(Date.now() / 1000);
    const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url');
    /** The helper's payload, signed by hand where the helper cannot produce the defect. */
    const handMade = (payload: Record<string, unknown>, head: Record<string, unknown> = { cty: 'twilio-fpa;v=1' }) =>
      jwt.sign({ jti: `${keySid}-${now()}`, ...payload }, secret, {
        algorithm: 'HS256',
        header: { alg: 'HS256', typ: 'JWT', ...head } as jwt.JwtHeader,
        issuer: keySid,
        subject: config.PARLEY_ACCOUNT_SID,
        expiresIn: 600,
      });

    it.each<[string, () => string, number]>([
      ['a bad signature', () => mint({ key: { sid: keySid, secret: `${secret}x` } }), 20107],
      [
        'alg none',
        () => {
          const [, body] = mint().split('.');
          return `${header({ alg: 'none', typ: 'JWT', cty: 'twilio-fpa;v=1' })}.${body}.`;
        },
        20102,
      ],
      ['a wrong cty', () => handMade({ grants: { identity: 'alice', chat: { service_sid: serviceSid } } }, { cty: 'twilio-fpa;v=2' }), 20102],
      ['an unknown key', () => mint({ key: { sid: newSid('SK'), secret: 'whatever' } }), 20103],
      ["another account's key", () => mint({ key: { sid: other.keySid, secret: other.secret } }), 20103],
      ['a Service that does not exist', () => mint({ service: newSid('IS') }), 20106],
      ["another account's Service", () => mint({ service: other.serviceSid }), 20106],
      ['an expired token', () => mint({ ttl: -60 }), 20104],
      ['a token not valid yet (nbf in the future)', () => mint({ nbf: now() + 600 }), 20105],
      ['a lifetime over 24 hours', () => mint({ ttl: 25 * 3600 }), 20104],
      ['no chat grant', () => mint({ service: null }), 20106],
      ['no identity', () => handMade({ grants: { chat: { service_sid: serviceSid } } }), 20106],
      ['an identity that looks like a User sid', () => mint({ identity: newSid('US') }), 20106],
      ['a deployment role that is not a service role of the Service', () => mint({ role: newSid('RL') }), 20106],
    ])('refuses %s with 401 and its Twilio code', async (_case, token, code) => {
      expect(await failureOf(open(token()))).toMatchObject({ code, status: 401 });
    });

    it("accepts a subaccount's own key for its own Service", async () => {
      const token = mint({ key: { sid: other.keySid, secret: other.secret }, account: other.account, service: other.serviceSid, identity: 'bob' });
      await expect(open(token)).resolves.toMatchObject({ accountSid: other.account, serviceSid: other.serviceSid, identity: 'bob' });
    });

    it('refuses a key once deleted, and every key of a suspended account', async () => {
      const key = await send('chat.v1.cmd.api-key.create', { caller: caller(), params: { AccountSid: other.account } });
      const token = mint({ key: { sid: key.sid, secret: key.secret }, account: other.account, service: other.serviceSid });
      await expect(open(token)).resolves.toMatchObject({ accountSid: other.account });
      await send('chat.v1.cmd.account.update', { caller: caller(), params: { Sid: other.account, Status: 'suspended' } });
      expect(await failureOf(open(token))).toMatchObject({ code: 20103, status: 401 });
      await send('chat.v1.cmd.account.update', { caller: caller(), params: { Sid: other.account, Status: 'active' } });
      await expect(open(token)).resolves.toMatchObject({ accountSid: other.account });
      await send('chat.v1.cmd.api-key.delete', { caller: caller(), params: { AccountSid: other.account, Sid: key.sid } });
      expect(await failureOf(open(token))).toMatchObject({ code: 20103, status: 401 });
    });

    it('answers a malformed request with 400 20001', async () => {
      expect(await failureOf(send('chat.v1.cmd.session.open', { token: '' }))).toMatchObject({ code: 20001, status: 400 });
      expect(await failureOf(open('not-a-jwt'))).toMatchObject({ code: 20101, status: 401 });
    });
  });
});
