import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { newSid, ParleyError, type RoleResource, type ServiceResource, type UserResource } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import type { MessageConfig } from '../../../apps/message-service/src/config/message.config';
import { hashAuthToken } from '../../../apps/message-service/src/crypto/token-hash';
import { startMessageService, type MessageService, type CollectedEvent, failureOf } from './harness';

/*
 * Roles and Users of message-service over real NATS and Postgres: the app in-process on a database of its own
 * (cloned from the migrated template), a NATS subject prefix of its own, commands sent as the gateways send them.
 */

describe('message-service: Roles and Users over NATS', () => {
  let ms: MessageService;
  let config: MessageConfig;
  let pg: Client;
  let events: CollectedEvent[];

  const system = (accountSid?: string) => ms.system(accountSid);
  const asUser = (serviceSid: string, identity: string) => ms.sdkUser(serviceSid, identity);
  const send: MessageService['send'] = (subject, payload) => ms.send(subject, payload);

  const createService = (friendlyName = 'svc', accountSid?: string) =>
    send('chat.v1.cmd.service.create', { caller: system(accountSid), params: { FriendlyName: friendlyName } });
  const createRole = (serviceSid: string, params: { FriendlyName: string; Type: string; Permission: string | string[] }) =>
    send('chat.v1.cmd.role.create', { caller: system(), params: { ServiceSid: serviceSid, ...params } });
  const createUser = (serviceSid: string, identity: string, extra: Record<string, string> = {}, caller = system()) =>
    send('chat.v1.cmd.user.create', { caller, params: { ServiceSid: serviceSid, Identity: identity, ...extra } });
  const roleNamed = async (serviceSid: string, name: string) =>
    (await pg.query<{ sid: string }>('SELECT sid FROM roles WHERE service_sid = $1 AND friendly_name = $2', [serviceSid, name])).rows[0]!.sid;

  async function insertAccount(): Promise<string> {
    const sid = `AC${randomBytes(16).toString('hex')}`;
    await pg.query(
      `INSERT INTO accounts (sid, friendly_name, status, type, auth_token_hash, date_created, date_updated)
       VALUES ($1, 'other', 'active', 'Full', $2, now(), now())`,
      [sid, hashAuthToken(config.PARLEY_SECRET_KEY, randomBytes(16).toString('hex'))],
    );
    return sid;
  }

  /** A channel with members, as the channels code writes them (counters included). */
  async function insertChannelWithMembers(service: ServiceResource, users: UserResource[]): Promise<string> {
    const channelSid = newSid('CH');
    await pg.query(`INSERT INTO channels (sid, account_sid, service_sid, members_count) VALUES ($1, $2, $3, $4)`, [
      channelSid,
      service.account_sid,
      service.sid,
      users.length,
    ]);
    for (const user of users) {
      await pg.query(
        `INSERT INTO members (sid, account_sid, service_sid, channel_sid, identity, user_sid, role_sid)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [newSid('MB'), service.account_sid, service.sid, channelSid, user.identity, user.sid, service.default_channel_role_sid],
      );
      await pg.query('UPDATE users SET joined_channels_count = joined_channels_count + 1 WHERE sid = $1', [user.sid]);
    }
    return channelSid;
  }

  beforeAll(async () => {
    ms = await startMessageService('rolesusers', { poolSize: 10 });
    ({ config, pg, events } = ms);
  });

  afterAll(() => ms?.stop());

  describe('roles', () => {
    it('creates, fetches, replaces permissions, lists and deletes a role', async () => {
      const service = await createService();
      const created = await createRole(service.sid, { FriendlyName: 'moderator', Type: 'channel', Permission: ['sendMessage', 'removeMember'] });
      expect(created).toEqual({
        sid: expect.stringMatching(/^RL[0-9a-f]{32}$/),
        account_sid: config.PARLEY_ACCOUNT_SID,
        service_sid: service.sid,
        friendly_name: 'moderator',
        type: 'channel',
        permissions: ['sendMessage', 'removeMember'],
        date_created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        date_updated: created.date_created,
      });
      const key = { ServiceSid: service.sid, Sid: created.sid };
      await expect(send('chat.v1.cmd.role.fetch', { caller: system(), params: key })).resolves.toEqual(created);

      const updated = await send('chat.v1.cmd.role.update', { caller: system(), params: { ...key, Permission: 'leaveChannel' } });
      expect(updated.permissions).toEqual(['leaveChannel']);
      expect(updated.type).toBe('channel');
      expect((await pg.query('SELECT permissions FROM roles WHERE sid = $1', [created.sid])).rows[0].permissions).toEqual(['leaveChannel']);

      const listed = await send('chat.v1.cmd.role.list', { caller: system(), params: { ServiceSid: service.sid } });
      expect(listed.items.map((r) => r.friendly_name).sort()).toEqual(['channel admin', 'channel user', 'moderator', 'service admin', 'service user']);

      await expect(send('chat.v1.cmd.role.delete', { caller: system(), params: key })).resolves.toEqual({});
      expect(await failureOf(send('chat.v1.cmd.role.fetch', { caller: system(), params: key }))).toEqual({
        code: 20404,
        status: 404,
        message: `The requested resource /Services/${service.sid}/Roles/${created.sid} was not found`,
      });
      expect(await failureOf(send('chat.v1.cmd.role.delete', { caller: system(), params: key }))).toMatchObject({ code: 20404 });
    });

    it('validates type and every permission against the scope, writing nothing', async () => {
      const service = await createService();
      const roles = async () => (await pg.query('SELECT count(*)::int AS n FROM roles WHERE service_sid = $1', [service.sid])).rows[0].n;
      const before = await roles();
      const cases: [Promise<unknown>, number, number][] = [
        [createRole(service.sid, { FriendlyName: 'a', Type: 'service', Permission: 'createChannel' }), 400, 50105],
        [createRole(service.sid, { FriendlyName: 'b', Type: 'channel', Permission: ['sendMessage', 'editOwnUserInfo'] }), 400, 50104],
        [createRole(service.sid, { FriendlyName: 'c', Type: 'deployment', Permission: ['createChannel', 'sendMessage'] }), 400, 50104],
        [createRole(service.sid, { FriendlyName: 'd', Type: 'deployment', Permission: 'teleport' }), 400, 50104],
        [createRole(service.sid, { FriendlyName: 'service user', Type: 'deployment', Permission: 'joinChannel' }), 409, 20001],
        [send('chat.v1.cmd.role.create', { caller: system(), params: { ServiceSid: service.sid, FriendlyName: 'e', Type: 'channel' } as never }), 400, 20001],
        [createRole(newSid('IS'), { FriendlyName: 'f', Type: 'channel', Permission: 'sendMessage' }), 404, 20404],
      ];
      for (const [attempt, status, code] of cases) {
        expect(await failureOf(attempt)).toMatchObject({ status, code });
      }
      expect(await roles()).toBe(before);

      const channelUser = await roleNamed(service.sid, 'channel user');
      const update = (Permission: string[]) =>
        send('chat.v1.cmd.role.update', { caller: system(), params: { ServiceSid: service.sid, Sid: channelUser, Permission } });
      expect(await failureOf(update(['sendMessage', 'createChannel']))).toMatchObject({ status: 400, code: 50104 });
      expect(await failureOf(update(['editOwnUserInfo']))).toMatchObject({ status: 400, code: 50104 });
      expect((await pg.query('SELECT permissions FROM roles WHERE sid = $1', [channelUser])).rows[0].permissions).toContain('sendMessage');
    });

    it('refuses to delete a role still in use (409), whatever uses it', async () => {
      const service = await createService();
      const key = (Sid: string) => ({ caller: system(), params: { ServiceSid: service.sid, Sid } });
      // A default role of the service.
      for (const name of ['service user', 'channel user', 'channel admin']) {
        const error = await failureOf(send('chat.v1.cmd.role.delete', key(await roleNamed(service.sid, name))));
        expect(error).toMatchObject({ status: 409, code: 20001 });
        expect(error.message).toContain("the Service's default roles");
      }
      // A user's role.
      const userRole = await createRole(service.sid, { FriendlyName: 'vip', Type: 'deployment', Permission: 'createChannel' });
      const user = await createUser(service.sid, 'vip-user', { RoleSid: userRole.sid });
      expect(await failureOf(send('chat.v1.cmd.role.delete', key(userRole.sid)))).toMatchObject({ status: 409, message: expect.stringContaining('1 user(s)') });
      // A member's role and an invite's role.
      const memberRole = await createRole(service.sid, { FriendlyName: 'speaker', Type: 'channel', Permission: 'sendMessage' });
      const channelSid = await insertChannelWithMembers(service, [user]);
      await pg.query('UPDATE members SET role_sid = $1 WHERE channel_sid = $2', [memberRole.sid, channelSid]);
      expect(await failureOf(send('chat.v1.cmd.role.delete', key(memberRole.sid)))).toMatchObject({ status: 409, message: expect.stringContaining('1 member(s)') });
      const inviteRole = await createRole(service.sid, { FriendlyName: 'guest', Type: 'channel', Permission: 'sendMessage' });
      await pg.query(`INSERT INTO invites (sid, account_sid, service_sid, channel_sid, identity, role_sid) VALUES ($1, $2, $3, $4, 'bob', $5)`, [
        newSid('IN'),
        service.account_sid,
        service.sid,
        channelSid,
        inviteRole.sid,
      ]);
      expect(await failureOf(send('chat.v1.cmd.role.delete', key(inviteRole.sid)))).toMatchObject({ status: 409, message: expect.stringContaining('1 invite(s)') });

      // Once reassigned, it goes.
      await send('chat.v1.cmd.user.update', { caller: system(), params: { ServiceSid: service.sid, Sid: user.sid, RoleSid: service.default_service_role_sid! } });
      await expect(send('chat.v1.cmd.role.delete', key(userRole.sid))).resolves.toEqual({});
    });

    it('never leaves a user on a deleted role when assignment and deletion race', async () => {
      const service = await createService();
      for (let round = 0; round < 8; round++) {
        const role = await createRole(service.sid, { FriendlyName: `racy-${round}`, Type: 'deployment', Permission: 'joinChannel' });
        const [created, deleted] = await Promise.allSettled([
          createUser(service.sid, `racer-${round}`, { RoleSid: role.sid }),
          send('chat.v1.cmd.role.delete', { caller: system(), params: { ServiceSid: service.sid, Sid: role.sid } }),
        ]);
        const roleExists = (await pg.query('SELECT 1 FROM roles WHERE sid = $1', [role.sid])).rowCount === 1;
        if (created.status === 'fulfilled') {
          expect(roleExists).toBe(true);
          expect(deleted.status).toBe('rejected');
          expect(((deleted as PromiseRejectedResult).reason as ParleyError).status).toBe(409);
        } else {
          expect(roleExists).toBe(false);
          expect(((created as PromiseRejectedResult).reason as ParleyError).code).toBe(50100);
        }
      }
      const { rows } = await pg.query(
        'SELECT u.sid FROM users u LEFT JOIN roles r ON r.sid = u.role_sid WHERE u.service_sid = $1 AND r.sid IS NULL',
        [service.sid],
      );
      expect(rows).toEqual([]);
    });

    it('pages roles with PageSize=2 and hides other accounts and SDK users', async () => {
      const service = await createService();
      const pages: RoleResource[][] = [];
      let token: string | null | undefined;
      do {
        const page = await send('chat.v1.cmd.role.list', {
          caller: system(),
          params: { ServiceSid: service.sid, PageSize: 2, ...(token ? { PageToken: token } : {}) },
        });
        pages.push(page.items);
        token = page.nextPageToken;
      } while (token);
      expect(pages.map((p) => p.length)).toEqual([2, 2]);
      expect(new Set(pages.flat().map((r) => r.sid)).size).toBe(4);

      const other = await insertAccount();
      expect(await failureOf(send('chat.v1.cmd.role.list', { caller: system(other), params: { ServiceSid: service.sid } }))).toMatchObject({ code: 20404 });
      const someRole = pages[0]![0]!.sid;
      expect(await failureOf(send('chat.v1.cmd.role.fetch', { caller: system(other), params: { ServiceSid: service.sid, Sid: someRole } }))).toMatchObject({
        code: 20404,
      });
      expect(
        await failureOf(send('chat.v1.cmd.role.fetch', { caller: asUser(service.sid, 'alice'), params: { ServiceSid: service.sid, Sid: someRole } })),
      ).toMatchObject({ status: 403, code: 50107 });
    });
  });

  describe('users', () => {
    it("creates a user with the service's default role and Twilio's fields, addressed by sid or identity", async () => {
      const service = await createService();
      const user = await createUser(service.sid, 'alice@example.com', { FriendlyName: 'Alice', 'X-Twilio-Webhook-Enabled': 'true' });
      expect(user).toEqual({
        sid: expect.stringMatching(/^US[0-9a-f]{32}$/),
        account_sid: config.PARLEY_ACCOUNT_SID,
        service_sid: service.sid,
        attributes: '{}',
        friendly_name: 'Alice',
        role_sid: service.default_service_role_sid,
        identity: 'alice@example.com',
        is_online: null,
        is_notifiable: null,
        date_created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        date_updated: user.date_created,
        joined_channels_count: 0,
      });
      for (const key of [user.sid, user.identity]) {
        await expect(send('chat.v1.cmd.user.fetch', { caller: system(), params: { ServiceSid: service.sid, Sid: key } })).resolves.toEqual(user);
      }
      const admin = await roleNamed(service.sid, 'service admin');
      const bob = await createUser(service.sid, 'bob', { RoleSid: admin, Attributes: '{"team":"red"}' });
      expect(bob).toMatchObject({ role_sid: admin, attributes: '{"team":"red"}', friendly_name: null });
    });

    it('answers conflicts and bad roles with their Twilio codes', async () => {
      const service = await createService();
      await createUser(service.sid, 'taken');
      const channelRole = await roleNamed(service.sid, 'channel user');
      const other = await createService('other');
      const cases: [Promise<unknown>, number, number][] = [
        [createUser(service.sid, 'taken'), 409, 50201],
        [createUser(service.sid, `US${'a'.repeat(32)}`), 400, 50206],
        [createUser(service.sid, 'x1', { RoleSid: channelRole }), 400, 50100],
        [createUser(service.sid, 'x2', { RoleSid: newSid('RL') }), 400, 50100],
        [createUser(service.sid, 'x3', { RoleSid: other.default_service_role_sid! }), 400, 50100],
        [createUser(service.sid, 'x4', { RoleSid: 'RL1' }), 400, 20001],
        [createUser(service.sid, 'x5', { Attributes: '[1,2]' }), 400, 20001],
        [createUser(service.sid, 'x6', { Attributes: 'not json' }), 400, 20001],
        [createUser(service.sid, 'x7', { 'X-Twilio-Webhook-Enabled': 'maybe' }), 400, 20001],
        [createUser(service.sid, ''), 400, 20001],
        [createUser(newSid('IS'), 'x8'), 404, 20404],
        [createUser(service.sid, 'x9', {}, asUser(service.sid, 'x9')), 403, 50107],
      ];
      for (const [attempt, status, code] of cases) expect(await failureOf(attempt)).toMatchObject({ status, code });
      expect((await pg.query("SELECT count(*)::int AS n FROM users WHERE service_sid = $1 AND identity LIKE 'x%'", [service.sid])).rows[0].n).toBe(0);
    });

    it('creates one user when the same identity is created concurrently', async () => {
      const service = await createService();
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => createUser(service.sid, 'twin')));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 50201, status: 409 });
      }
    });

    it('updates friendly name, attributes and role, then publishes user.updated', async () => {
      const service = await createService();
      const user = await createUser(service.sid, 'carol');
      const admin = await roleNamed(service.sid, 'service admin');
      const updated = await send('chat.v1.cmd.user.update', {
        caller: system(),
        params: { ServiceSid: service.sid, Sid: 'carol', FriendlyName: 'Carol', Attributes: '{"a":1}', RoleSid: admin },
      });
      expect(updated).toMatchObject({ sid: user.sid, friendly_name: 'Carol', attributes: '{"a":1}', role_sid: admin, identity: 'carol' });
      await waitFor(() => events.find((e) => e.name === 'user.updated' && (e.payload as UserResource).sid === user.sid), {
        description: 'user.updated event',
      });
      expect(events.find((e) => e.name === 'user.updated' && (e.payload as UserResource).sid === user.sid)?.payload).toEqual(updated);
      expect(
        await failureOf(
          send('chat.v1.cmd.user.update', {
            caller: system(),
            params: { ServiceSid: service.sid, Sid: 'carol', RoleSid: await roleNamed(service.sid, 'channel admin') },
          }),
        ),
      ).toMatchObject({ status: 400, code: 50100 });
      expect(await failureOf(send('chat.v1.cmd.user.update', { caller: system(), params: { ServiceSid: service.sid, Sid: 'nobody', FriendlyName: 'x' } }))).toEqual({
        code: 20404,
        status: 404,
        message: `The requested resource /Services/${service.sid}/Users/nobody was not found`,
      });
    });

    it("checks an SDK user's own/any user-info permissions from its service role", async () => {
      const service = await createService();
      await createUser(service.sid, 'dave');
      await createUser(service.sid, 'erin');
      await createUser(service.sid, 'boss', { RoleSid: await roleNamed(service.sid, 'service admin') });
      const update = (actor: string, target: string, extra: Record<string, string> = {}) =>
        send('chat.v1.cmd.user.update', { caller: asUser(service.sid, actor), params: { ServiceSid: service.sid, Sid: target, FriendlyName: `by ${actor}`, ...extra } });

      await expect(update('dave', 'dave')).resolves.toMatchObject({ friendly_name: 'by dave' }); // editOwnUserInfo
      expect(await failureOf(update('dave', 'erin'))).toMatchObject({ status: 403, code: 50107 }); // no editAnyUserInfo
      await expect(update('boss', 'erin')).resolves.toMatchObject({ friendly_name: 'by boss' }); // editAnyUserInfo
      expect(await failureOf(update('dave', 'dave', { RoleSid: await roleNamed(service.sid, 'service admin') }))).toMatchObject({
        status: 403,
        code: 50205,
      });
      const other = await createService('elsewhere');
      expect(
        await failureOf(send('chat.v1.cmd.user.fetch', { caller: asUser(other.sid, 'dave'), params: { ServiceSid: service.sid, Sid: 'dave' } })),
      ).toMatchObject({ status: 403, code: 50107 });
      await expect(send('chat.v1.cmd.user.fetch', { caller: asUser(service.sid, 'dave'), params: { ServiceSid: service.sid, Sid: 'erin' } })).resolves.toMatchObject({
        identity: 'erin',
      });
    });

    it('lists users in creation order across pages, with reachability null', async () => {
      const service = await createService();
      const created: UserResource[] = [];
      for (const identity of ['u1', 'u2', 'u3', 'u4', 'u5']) created.push(await createUser(service.sid, identity));
      const pages: UserResource[][] = [];
      let token: string | null | undefined;
      do {
        const page = await send('chat.v1.cmd.user.list', { caller: system(), params: { ServiceSid: service.sid, PageSize: '2', ...(token ? { PageToken: token } : {}) } });
        pages.push(page.items);
        token = page.nextPageToken;
      } while (token);
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat().map((u) => u.identity)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
      expect(pages.flat().every((u) => u.is_online === null && u.is_notifiable === null)).toBe(true);
      expect(await failureOf(send('chat.v1.cmd.user.list', { caller: system(), params: { ServiceSid: service.sid, PageSize: 101 } }))).toMatchObject({ code: 20001 });
    });

    it("answers 404 for another account's user exactly like an unknown one", async () => {
      const other = await insertAccount();
      const theirService = await createService('theirs', other);
      const theirs = await send('chat.v1.cmd.user.create', { caller: system(other), params: { ServiceSid: theirService.sid, Identity: 'mallory' } });
      for (const key of [theirs.sid, 'mallory']) {
        const attempts = [
          send('chat.v1.cmd.user.fetch', { caller: system(), params: { ServiceSid: theirService.sid, Sid: key } }),
          send('chat.v1.cmd.user.update', { caller: system(), params: { ServiceSid: theirService.sid, Sid: key, FriendlyName: 'stolen' } }),
          send('chat.v1.cmd.user.delete', { caller: system(), params: { ServiceSid: theirService.sid, Sid: key } }),
        ];
        for (const error of await Promise.all(attempts.map(failureOf))) expect(error).toMatchObject({ code: 20404, status: 404 });
      }
      await expect(send('chat.v1.cmd.user.fetch', { caller: system(other), params: { ServiceSid: theirService.sid, Sid: 'mallory' } })).resolves.toEqual(theirs);
    });

    it('deletes a user with its memberships, bindings and invites in one go, keeping member counts exact', async () => {
      const service = await createService();
      const [frank, grace] = [await createUser(service.sid, 'frank'), await createUser(service.sid, 'grace')];
      const both = await insertChannelWithMembers(service, [frank, grace]);
      const onlyFrank = await insertChannelWithMembers(service, [frank]);
      const graceOnly = await insertChannelWithMembers(service, [grace]);
      await pg.query(
        `INSERT INTO bindings (sid, account_sid, service_sid, user_sid, identity, endpoint, binding_type) VALUES ($1, $2, $3, $4, 'frank', 'device-1', 'fcm')`,
        [newSid('BS'), service.account_sid, service.sid, frank.sid],
      );
      await pg.query(`INSERT INTO invites (sid, account_sid, service_sid, channel_sid, identity) VALUES ($1, $2, $3, $4, 'frank')`, [
        newSid('IN'),
        service.account_sid,
        service.sid,
        graceOnly,
      ]);
      const memberSids = (await pg.query<{ sid: string }>('SELECT sid FROM members WHERE user_sid = $1', [frank.sid])).rows.map((r) => r.sid);
      expect(memberSids).toHaveLength(2);

      await expect(send('chat.v1.cmd.user.delete', { caller: system(), params: { ServiceSid: service.sid, Sid: 'frank' } })).resolves.toEqual({});

      const counts = await pg.query<{ sid: string; members_count: number }>('SELECT sid, members_count FROM channels WHERE service_sid = $1', [service.sid]);
      expect(Object.fromEntries(counts.rows.map((r) => [r.sid, r.members_count]))).toEqual({ [both]: 1, [onlyFrank]: 0, [graceOnly]: 1 });
      const left = await pg.query(
        `SELECT (SELECT count(*)::int FROM members WHERE identity = 'frank' AND service_sid = $1) AS members,
                (SELECT count(*)::int FROM bindings WHERE identity = 'frank' AND service_sid = $1) AS bindings,
                (SELECT count(*)::int FROM invites WHERE identity = 'frank' AND service_sid = $1) AS invites,
                (SELECT count(*)::int FROM users WHERE sid = $2) AS users,
                (SELECT joined_channels_count FROM users WHERE sid = $3) AS grace_joined`,
        [service.sid, frank.sid, grace.sid],
      );
      expect(left.rows[0]).toEqual({ members: 0, bindings: 0, invites: 0, users: 0, grace_joined: 2 });

      await waitFor(() => events.some((e) => e.name === 'user.removed' && (e.payload as UserResource).sid === frank.sid), {
        description: 'user.removed event',
      });
      const removedMembers = events.filter((e) => e.name === 'member.removed' && memberSids.includes((e.payload as { sid: string }).sid));
      expect(removedMembers.map((e) => (e.payload as { channel_sid: string }).channel_sid).sort()).toEqual([both, onlyFrank].sort());
      expect(removedMembers.every((e) => (e.payload as { identity: string }).identity === 'frank' && e.serviceSid === service.sid)).toBe(true);
      expect(events.find((e) => e.name === 'user.removed' && (e.payload as UserResource).sid === frank.sid)?.payload).toMatchObject({
        identity: 'frank',
        joined_channels_count: 2,
      });
      expect(await failureOf(send('chat.v1.cmd.user.fetch', { caller: system(), params: { ServiceSid: service.sid, Sid: frank.sid } }))).toMatchObject({ code: 20404 });
    });

    it('keeps member counts exact when users are deleted while their memberships are removed', async () => {
      const service = await createService();
      const users: UserResource[] = [];
      for (let i = 0; i < 6; i++) users.push(await createUser(service.sid, `racer${i}`));
      const channels = [await insertChannelWithMembers(service, users), await insertChannelWithMembers(service, users)];
      // Delete every user concurrently, while another connection removes some memberships the way DeleteMember does.
      const removeMember = async (user: UserResource) => {
        const c = new Client({ connectionString: ms.db.url });
        await c.connect();
        try {
          await c.query('BEGIN');
          const { rows } = await c.query<{ channel_sid: string }>(
            'SELECT channel_sid FROM members WHERE user_sid = $1 AND channel_sid = $2 FOR UPDATE',
            [user.sid, channels[0]],
          );
          if (rows.length > 0) {
            await c.query('DELETE FROM members WHERE user_sid = $1 AND channel_sid = $2', [user.sid, channels[0]]);
            await c.query('UPDATE channels SET members_count = members_count - 1 WHERE sid = $1', [channels[0]]);
          }
          await c.query('COMMIT');
        } catch {
          await c.query('ROLLBACK');
        } finally {
          await c.end();
        }
      };
      await Promise.all([
        ...users.map((u) => send('chat.v1.cmd.user.delete', { caller: system(), params: { ServiceSid: service.sid, Sid: u.sid } })),
        ...users.slice(0, 3).map(removeMember),
      ]);
      const { rows } = await pg.query(
        `SELECT c.sid, c.members_count, (SELECT count(*)::int FROM members m WHERE m.channel_sid = c.sid) AS actual
           FROM channels c WHERE c.service_sid = $1`,
        [service.sid],
      );
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row).toMatchObject({ members_count: 0, actual: 0 });
    });
  });
});
