import type twilio from 'twilio';
import { Client } from 'pg';
import { startStack, twilioClient, type Stack } from '@parley/testing';

/**
 * Roles and Users end to end: the unmodified `twilio` helper → api-gateway → NATS → message-service → Postgres,
 * with the real services running as processes.
 */

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const ROLE_FIELDS = ['account_sid', 'date_created', 'date_updated', 'friendly_name', 'permissions', 'service_sid', 'sid', 'type', 'url'];
const USER_FIELDS = [
  'account_sid',
  'attributes',
  'date_created',
  'date_updated',
  'friendly_name',
  'identity',
  'is_notifiable',
  'is_online',
  'joined_channels_count',
  'links',
  'role_sid',
  'service_sid',
  'sid',
  'url',
];

describe('Roles and Users through the official twilio helper', () => {
  let stack: Stack;
  let client: twilio.Twilio;
  let base: string;

  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: basic(stack) } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    stack = await startStack({ label: 'rolesusers', apps: ['message-service', 'api-gateway'] });
    base = stack.get('api-gateway').url;
    client = twilioClient(base, stack.accountSid, stack.authToken);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('Roles', () => {
    it('creates, fetches, updates (replacing the permissions), lists and deletes', async () => {
      const service = await client.chat.v2.services.create({ friendlyName: 'roles' });
      const roles = client.chat.v2.services(service.sid).roles;
      const created = await roles.create({ friendlyName: 'moderator', type: 'channel', permission: ['sendMessage', 'removeMember'] });
      expect(created.sid).toMatch(/^RL[0-9a-f]{32}$/);
      expect(created.accountSid).toBe(stack.accountSid);
      expect(created.serviceSid).toBe(service.sid);
      expect(created.friendlyName).toBe('moderator');
      expect(created.type).toBe('channel');
      expect(created.permissions).toEqual(['sendMessage', 'removeMember']);
      expect(created.dateCreated).toBeInstanceOf(Date);
      expect(created.url).toBe(`${base}/v2/Services/${service.sid}/Roles/${created.sid}`);

      const raw = await get(`/v2/Services/${service.sid}/Roles/${created.sid}`);
      expect(raw.status).toBe(200);
      expect(Object.keys(raw.body).sort()).toEqual(ROLE_FIELDS);
      expect(raw.body.date_created).toMatch(DATE);

      const fetched = await client.chat.v2.services(service.sid).roles(created.sid).fetch();
      expect(fetched.permissions).toEqual(['sendMessage', 'removeMember']);
      const updated = await client.chat.v2.services(service.sid).roles(created.sid).update({ permission: ['leaveChannel'] });
      expect(updated.permissions).toEqual(['leaveChannel']);
      expect(updated.type).toBe('channel');

      const listed = await roles.list();
      expect(listed.map((r) => r.friendlyName).sort()).toEqual(['channel admin', 'channel user', 'moderator', 'service admin', 'service user']);

      await expect(client.chat.v2.services(service.sid).roles(created.sid).remove()).resolves.toBe(true);
      await expect(client.chat.v2.services(service.sid).roles(created.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    });

    it('lists across pages following next_page_url', async () => {
      const service = await client.chat.v2.services.create({ friendlyName: 'role pages' });
      const roles = client.chat.v2.services(service.sid).roles;
      for (const name of ['r1', 'r2', 'r3']) await roles.create({ friendlyName: name, type: 'deployment', permission: ['joinChannel'] });
      const all = await roles.list({ pageSize: 2 });
      expect(all).toHaveLength(7);
      expect(new Set(all.map((r) => r.sid)).size).toBe(7);
      const first = await roles.page({ pageSize: 2 });
      expect(first.instances).toHaveLength(2);
      expect(first.nextPageUrl).toMatch(new RegExp(`^${base}/v2/Services/${service.sid}/Roles\\?`));
      const second = await first.nextPage();
      expect(second?.instances.map((r) => r.sid)).toEqual(all.slice(2, 4).map((r) => r.sid));
    });

    it('answers bad roles with Twilio codes as RestExceptions', async () => {
      const service = await client.chat.v2.services.create({ friendlyName: 'role errors' });
      const roles = client.chat.v2.services(service.sid).roles;
      await expect(roles.create({ friendlyName: 'x', type: 'bogus' as 'channel', permission: ['sendMessage'] })).rejects.toMatchObject({
        status: 400,
        code: 50105,
      });
      await expect(roles.create({ friendlyName: 'x', type: 'channel', permission: ['sendMessage', 'editOwnUserInfo'] })).rejects.toMatchObject({
        status: 400,
        code: 50104,
        message: 'Permission not found: editOwnUserInfo',
      });
      await expect(roles.create({ friendlyName: 'x', type: 'deployment', permission: ['sendMessage'] })).rejects.toMatchObject({ status: 400, code: 50104 });
      await expect(roles.create({ friendlyName: 'service user', type: 'deployment', permission: ['joinChannel'] })).rejects.toMatchObject({ status: 409 });
      await expect(client.chat.v2.services(service.sid).roles(service.defaultChannelRoleSid).update({ permission: ['createChannel'] })).rejects.toMatchObject({
        status: 400,
        code: 50104,
      });
      const inUse = client.chat.v2.services(service.sid).roles(service.defaultServiceRoleSid).remove();
      await expect(inUse).rejects.toMatchObject({ status: 409, code: 20001 });
      await expect(client.chat.v2.services(service.sid).roles(`RL${'0'.repeat(32)}`).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      const missingPermission = await fetch(`${base}/v2/Services/${service.sid}/Roles`, {
        method: 'POST',
        headers: { authorization: basic(stack), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ FriendlyName: 'x', Type: 'channel' }).toString(),
      });
      expect(missingPermission.status).toBe(400);
      expect(await missingPermission.json()).toMatchObject({ code: 20001, status: 400, message: 'Missing required parameter Permission in the post body' });
    });
  });

  describe('Users', () => {
    it('creates with the X-Twilio-Webhook-Enabled header, fetches by sid and identity, updates, lists and deletes', async () => {
      const service = await client.chat.v2.services.create({ friendlyName: 'users' });
      const users = client.chat.v2.services(service.sid).users;
      const user = await users.create({ identity: 'alice@example.com', friendlyName: 'Alice', xTwilioWebhookEnabled: 'true' });
      expect(user.sid).toMatch(/^US[0-9a-f]{32}$/);
      expect(user).toMatchObject({
        accountSid: stack.accountSid,
        serviceSid: service.sid,
        identity: 'alice@example.com',
        friendlyName: 'Alice',
        attributes: '{}',
        roleSid: service.defaultServiceRoleSid,
        joinedChannelsCount: 0,
        isOnline: null,
        isNotifiable: null,
      });
      expect(user.dateCreated).toBeInstanceOf(Date);
      expect(user.url).toBe(`${base}/v2/Services/${service.sid}/Users/${user.sid}`);
      expect(user.links).toEqual({
        user_channels: `${base}/v2/Services/${service.sid}/Users/${user.sid}/Channels`,
        user_bindings: `${base}/v2/Services/${service.sid}/Users/${user.sid}/Bindings`,
      });

      const raw = await get(`/v2/Services/${service.sid}/Users/${encodeURIComponent('alice@example.com')}`);
      expect(raw.status).toBe(200);
      expect(Object.keys(raw.body).sort()).toEqual(USER_FIELDS);
      expect(raw.body).toMatchObject({ sid: user.sid, is_online: null, is_notifiable: null, joined_channels_count: 0 });
      expect(raw.body.date_updated).toMatch(DATE);

      const byIdentity = await client.chat.v2.services(service.sid).users('alice@example.com').fetch();
      expect(byIdentity.sid).toBe(user.sid);

      const admin = (await client.chat.v2.services(service.sid).roles.list()).find((r) => r.friendlyName === 'service admin')!;
      const updated = await client.chat.v2.services(service.sid).users(user.sid).update({
        friendlyName: 'Alice A.',
        attributes: JSON.stringify({ team: 'red' }),
        roleSid: admin.sid,
        xTwilioWebhookEnabled: 'false',
      });
      expect(updated).toMatchObject({ friendlyName: 'Alice A.', attributes: '{"team":"red"}', roleSid: admin.sid, identity: 'alice@example.com' });

      await expect(client.chat.v2.services(service.sid).users('alice@example.com').remove()).resolves.toBe(true);
      await expect(client.chat.v2.services(service.sid).users(user.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    });

    it('lists across pages with is_online/is_notifiable null', async () => {
      const service = await client.chat.v2.services.create({ friendlyName: 'user pages' });
      const users = client.chat.v2.services(service.sid).users;
      for (const identity of ['p1', 'p2', 'p3', 'p4', 'p5']) await users.create({ identity });
      const all = await users.list({ pageSize: 2 });
      expect(all.map((u) => u.identity)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
      expect(all.every((u) => u.isOnline === null && u.isNotifiable === null)).toBe(true);
      const page = await users.page({ pageSize: 2 });
      expect(page.nextPageUrl).toMatch(new RegExp(`^${base}/v2/Services/${service.sid}/Users\\?`));
      const raw = await get(`/v2/Services/${service.sid}/Users?PageSize=2`);
      expect(raw.body.meta).toMatchObject({ key: 'users', page: 0, page_size: 2, previous_page_url: null });
      expect(raw.body.users).toHaveLength(2);
    });

    it('answers user errors with Twilio codes as RestExceptions', async () => {
      const service = await client.chat.v2.services.create({ friendlyName: 'user errors' });
      const users = client.chat.v2.services(service.sid).users;
      await users.create({ identity: 'taken' });
      await expect(users.create({ identity: 'taken' })).rejects.toMatchObject({ status: 409, code: 50201 });
      await expect(users.create({ identity: `US${'a'.repeat(32)}` })).rejects.toMatchObject({ status: 400, code: 50206 });
      await expect(users.create({ identity: 'x', roleSid: service.defaultChannelRoleSid })).rejects.toMatchObject({ status: 400, code: 50100 });
      await expect(users.create({ identity: 'x', roleSid: `RL${'0'.repeat(32)}` })).rejects.toMatchObject({ status: 400, code: 50100 });
      await expect(users.create({ identity: 'x', attributes: '[1]' })).rejects.toMatchObject({ status: 400, code: 20001 });
      await expect(users.create({ identity: 'x', attributes: '{nope' })).rejects.toMatchObject({ status: 400, code: 20001 });
      await expect(users.create({ identity: 'x', xTwilioWebhookEnabled: 'maybe' as 'true' })).rejects.toMatchObject({ status: 400, code: 20001 });
      await expect(client.chat.v2.services(service.sid).users('nobody').fetch()).rejects.toMatchObject({
        status: 404,
        code: 20404,
        message: `The requested resource /Services/${service.sid}/Users/nobody was not found`,
      });
      await expect(client.chat.v2.services(service.sid).users('nobody').update({ friendlyName: 'x' })).rejects.toMatchObject({ status: 404 });
      await expect(client.chat.v2.services(service.sid).users('nobody').remove()).rejects.toMatchObject({ status: 404 });
      await expect(client.chat.v2.services(`IS${'0'.repeat(32)}`).users.list()).rejects.toMatchObject({ status: 404, code: 20404 });
      expect((await users.list()).map((u) => u.identity)).toEqual(['taken']);
    });

    it('deleting a user removes its memberships and keeps member counts exact', async () => {
      const service = await client.chat.v2.services.create({ friendlyName: 'user delete' });
      const users = client.chat.v2.services(service.sid).users;
      const [bob, carol] = [await users.create({ identity: 'bob' }), await users.create({ identity: 'carol' })];
      const db = new Client({ connectionString: stack.database.url });
      await db.connect();
      try {
        // Memberships as the channels code writes them (that REST surface is another resource's).
        const channelSid = `CH${'1'.repeat(32)}`;
        await db.query('INSERT INTO channels (sid, account_sid, service_sid, members_count) VALUES ($1, $2, $3, 2)', [channelSid, stack.accountSid, service.sid]);
        for (const [i, user] of [bob, carol].entries()) {
          await db.query(
            'INSERT INTO members (sid, account_sid, service_sid, channel_sid, identity, user_sid) VALUES ($1, $2, $3, $4, $5, $6)',
            [`MB${String(i).repeat(32)}`, stack.accountSid, service.sid, channelSid, user.identity, user.sid],
          );
          await db.query('UPDATE users SET joined_channels_count = 1 WHERE sid = $1', [user.sid]);
        }
        expect((await client.chat.v2.services(service.sid).users('bob').fetch()).joinedChannelsCount).toBe(1);
        await client.chat.v2.services(service.sid).users('bob').remove();
        const { rows } = await db.query('SELECT members_count, (SELECT count(*)::int FROM members WHERE channel_sid = $1) AS n FROM channels WHERE sid = $1', [
          channelSid,
        ]);
        expect(rows[0]).toEqual({ members_count: 1, n: 1 });
      } finally {
        await db.end();
      }
      expect((await users.list()).map((u) => u.identity)).toEqual(['carol']);
    });
  });
});

function basic(stack: Stack): string {
  return `Basic ${Buffer.from(`${stack.accountSid}:${stack.authToken}`).toString('base64')}`;
}
