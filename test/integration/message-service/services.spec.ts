import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { newSid, type Caller, type CommandRequest, type ServiceResource } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { createEmptyDatabase, isolationPrefixes, NATS_URL, waitFor, type TestDatabase } from '@parley/testing';
import type { MessageConfig } from '../../../apps/message-service/src/config/message.config';
import { SecretBox } from '../../../apps/message-service/src/crypto/secret-box';
import { hashAuthToken } from '../../../apps/message-service/src/crypto/token-hash';
import { startMessageService, type MessageService, type CollectedEvent, failureOf, silent, messageConfig, bootMessageService, type Instance } from './harness';

/*
 * message-service in-process against the machine's real Postgres and NATS: a database of its own (migrated by
 * the app itself), a NATS subject prefix of its own, and a NatsTransport client speaking the contracts.
 */

describe('message-service: accounts and Services over NATS', () => {
  let ms: MessageService;
  let config: MessageConfig;
  let pg: Client;
  let events: CollectedEvent[];

  const system = (accountSid?: string) => ms.system(accountSid);
  const send: MessageService['send'] = (subject, payload) => ms.send(subject, payload);
  const createService = (friendlyName: string, accountSid?: string) =>
    send('chat.v1.cmd.service.create', { caller: system(accountSid), params: { FriendlyName: friendlyName } });

  /** Another tenant, as an operator would create one (the Accounts API comes later). */
  async function insertAccount(): Promise<string> {
    const sid = `AC${randomBytes(16).toString('hex')}`;
    await pg.query(
      `INSERT INTO accounts (sid, friendly_name, status, type, auth_token_hash, date_created, date_updated)
       VALUES ($1, 'other', 'active', 'Full', $2, now(), now())`,
      [sid, hashAuthToken(config.PARLEY_SECRET_KEY, randomBytes(16).toString('hex'))],
    );
    return sid;
  }

  async function count(table: 'services' | 'roles', where = 'true', params: unknown[] = []): Promise<number> {
    const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
    return rows[0]?.n ?? -1;
  }

  beforeAll(async () => {
    ms = await startMessageService('ms', { empty: true });
    ({ config, pg, events } = ms);
  });

  afterAll(() => ms?.stop());

  describe('operations', () => {
    it('is ready with a postgres check and exports pool gauges', async () => {
      const ready = await fetch(`${ms.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, nats: { status: 'up' } } });
      const metrics = await (await fetch(`${ms.url}/metrics`)).text();
      for (const name of ['parley_pg_pool_total_connections', 'parley_pg_pool_idle_connections', 'parley_pg_pool_waiting_requests']) {
        expect(metrics).toMatch(new RegExp(`^${name}\\{[^}]*\\} \\d+$`, 'm'));
      }
    });
  });

  describe('authenticate', () => {
    it('stores the bootstrap account with a keyed hash of its token, never the token', async () => {
      const { rows } = await pg.query('SELECT * FROM accounts WHERE sid = $1', [config.PARLEY_ACCOUNT_SID]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'active', auth_token_hash: hashAuthToken(config.PARLEY_SECRET_KEY, config.PARLEY_AUTH_TOKEN) });
      expect(JSON.stringify(rows[0])).not.toContain(config.PARLEY_AUTH_TOKEN);
    });

    it('accepts the account sid with its auth token', async () => {
      await expect(
        send('chat.v1.cmd.account.authenticate', { username: config.PARLEY_ACCOUNT_SID, password: config.PARLEY_AUTH_TOKEN }),
      ).resolves.toEqual({ accountSid: config.PARLEY_ACCOUNT_SID, via: 'auth_token' });
    });

    it.each([
      ['a wrong token', () => ({ username: config.PARLEY_ACCOUNT_SID, password: 'f'.repeat(32) })],
      ['an empty token', () => ({ username: config.PARLEY_ACCOUNT_SID, password: '' })],
      ['an unknown account', () => ({ username: `AC${'0'.repeat(32)}`, password: config.PARLEY_AUTH_TOKEN })],
      ['an unknown API key', () => ({ username: newSid('SK'), password: 'secret' })],
      ['a username that is no sid', () => ({ username: 'admin', password: config.PARLEY_AUTH_TOKEN })],
    ])('rejects %s with 401 20003', async (_, credentials) => {
      expect(await failureOf(send('chat.v1.cmd.account.authenticate', credentials()))).toEqual({
        code: 20003,
        status: 401,
        message: 'Authenticate',
      });
    });

    it('accepts an API key with its secret, decrypted from storage', async () => {
      const keySid = newSid('SK');
      const secret = randomBytes(16).toString('hex');
      const sealed = new SecretBox(config.PARLEY_SECRET_KEY).seal(secret, keySid);
      await pg.query(
        `INSERT INTO api_keys (sid, account_sid, friendly_name, secret_encrypted, date_created, date_updated)
         VALUES ($1, $2, 'test key', $3, now(), now())`,
        [keySid, config.PARLEY_ACCOUNT_SID, sealed],
      );
      await expect(send('chat.v1.cmd.account.authenticate', { username: keySid, password: secret })).resolves.toEqual({
        accountSid: config.PARLEY_ACCOUNT_SID,
        via: 'api_key',
      });
      expect(await failureOf(send('chat.v1.cmd.account.authenticate', { username: keySid, password: `${secret}x` }))).toMatchObject({
        code: 20003,
        status: 401,
      });
    });

    it('rejects an API key whose stored secret belongs to another key', async () => {
      const [a, b] = [newSid('SK'), newSid('SK')];
      const secret = randomBytes(16).toString('hex');
      const sealedForA = new SecretBox(config.PARLEY_SECRET_KEY).seal(secret, a);
      await pg.query(
        `INSERT INTO api_keys (sid, account_sid, secret_encrypted, date_created, date_updated) VALUES ($1, $2, $3, now(), now())`,
        [b, config.PARLEY_ACCOUNT_SID, sealedForA],
      );
      expect(await failureOf(send('chat.v1.cmd.account.authenticate', { username: b, password: secret }))).toMatchObject({ code: 20003 });
    });
  });

  describe('create and fetch', () => {
    it("creates a Service with Twilio's defaults and its four default roles", async () => {
      const service = await createService('first');
      expect(service).toMatchObject({
        sid: expect.stringMatching(/^IS[0-9a-f]{32}$/),
        account_sid: config.PARLEY_ACCOUNT_SID,
        friendly_name: 'first',
        date_created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        read_status_enabled: true,
        reachability_enabled: false,
        typing_indicator_timeout: 5,
        consumption_report_interval: 10,
        limits: { channel_members: 250, user_channels: 100 },
        webhook_method: 'POST',
        webhook_filters: [],
        pre_webhook_retry_count: 0,
        post_webhook_retry_count: 0,
        media: { size_limit_mb: 150, compatibility_message: null },
      });
      expect(service.notifications.new_message).toEqual({ enabled: false, template: null, sound: null, badge_count_enabled: false });
      expect(service.notifications.log_enabled).toBe(false);

      const { rows: roles } = await pg.query<{ sid: string; friendly_name: string; type: string; permissions: string[]; account_sid: string }>(
        'SELECT sid, friendly_name, type, permissions, account_sid FROM roles WHERE service_sid = $1',
        [service.sid],
      );
      const byName = Object.fromEntries(roles.map((r) => [r.friendly_name, r]));
      expect(Object.keys(byName).sort()).toEqual(['channel admin', 'channel user', 'service admin', 'service user']);
      expect(roles.every((r) => r.account_sid === config.PARLEY_ACCOUNT_SID)).toBe(true);
      expect(byName['service admin']).toMatchObject({ type: 'deployment' });
      expect(byName['service user']).toMatchObject({ type: 'deployment' });
      expect(byName['channel admin']).toMatchObject({ type: 'channel' });
      expect(byName['channel user']).toMatchObject({ type: 'channel' });
      expect(byName['service user']?.permissions.sort()).toEqual(['createChannel', 'editOwnUserInfo', 'joinChannel']);
      expect(byName['channel user']?.permissions).toEqual(expect.arrayContaining(['sendMessage', 'leaveChannel', 'editOwnMessage', 'deleteOwnMessage']));
      expect(byName['channel admin']?.permissions).toEqual(expect.arrayContaining(['addMember', 'destroyChannel', 'removeMember', 'sendMessage']));
      expect(byName['service admin']?.permissions).toHaveLength(12);
      expect(service.default_service_role_sid).toBe(byName['service user']?.sid);
      expect(service.default_channel_role_sid).toBe(byName['channel user']?.sid);
      expect(service.default_channel_creator_role_sid).toBe(byName['channel admin']?.sid);

      await expect(send('chat.v1.cmd.service.fetch', { caller: system(), params: { Sid: service.sid } })).resolves.toEqual(service);
    });

    it('answers 404 20404 for an unknown Service', async () => {
      const sid = newSid('IS');
      expect(await failureOf(send('chat.v1.cmd.service.fetch', { caller: system(), params: { Sid: sid } }))).toEqual({
        code: 20404,
        status: 404,
        message: `The requested resource /Services/${sid} was not found`,
      });
    });

    it('refuses Service management to SDK users (403 50107)', async () => {
      const caller: Caller = { ...system(), actor: { kind: 'user', identity: 'alice' } };
      expect(await failureOf(send('chat.v1.cmd.service.create', { caller, params: { FriendlyName: 'x' } }))).toMatchObject({
        code: 50107,
        status: 403,
      });
    });
  });

  describe('update', () => {
    it('applies dotted keys and form booleans, bumps date_updated, and publishes service.updated after the commit', async () => {
      const created = await createService('to-update');
      await pg.query(`UPDATE services SET date_updated = date_updated - interval '1 hour' WHERE sid = $1`, [created.sid]);
      const updated = await send('chat.v1.cmd.service.update', {
        caller: system(),
        params: {
          Sid: created.sid,
          FriendlyName: 'renamed',
          ReachabilityEnabled: 'true',
          ReadStatusEnabled: 'false',
          TypingIndicatorTimeout: '9',
          'Limits.ChannelMembers': '10',
          'Notifications.NewMessage.Enabled': 'true',
          'Notifications.NewMessage.Template': 'New: ${MESSAGE}',
          'Notifications.NewMessage.BadgeCountEnabled': 'true',
          'Notifications.LogEnabled': 'true',
          'Media.CompatibilityMessage': 'sent a file',
          WebhookFilters: ['onMessageSend', 'onChannelAdd'],
          PostWebhookUrl: 'https://hooks.example.com/post',
          PostWebhookRetryCount: '2',
        },
      });
      expect(updated).toMatchObject({
        friendly_name: 'renamed',
        reachability_enabled: true,
        read_status_enabled: false,
        typing_indicator_timeout: 9,
        limits: { channel_members: 10, user_channels: 100 },
        webhook_filters: ['onMessageSend', 'onChannelAdd'],
        post_webhook_url: 'https://hooks.example.com/post',
        pre_webhook_url: null,
        post_webhook_retry_count: 2,
        media: { size_limit_mb: 150, compatibility_message: 'sent a file' },
        date_created: created.date_created,
      });
      expect(updated.notifications).toEqual({
        ...created.notifications,
        log_enabled: true,
        new_message: { enabled: true, template: 'New: ${MESSAGE}', sound: null, badge_count_enabled: true },
      });
      expect(Date.parse(updated.date_updated)).toBeGreaterThanOrEqual(Date.parse(created.date_updated));

      await expect(send('chat.v1.cmd.service.fetch', { caller: system(), params: { Sid: created.sid } })).resolves.toEqual(updated);
      const event = await waitFor(() => events.find((e) => e.name === 'service.updated' && e.serviceSid === created.sid), {
        description: 'service.updated event',
      });
      expect(event.payload).toEqual(updated);
    });

    it('sets default roles to roles of this Service of the right scope only', async () => {
      const service = await createService('roles');
      const other = await createService('other roles');
      const sidOf = async (serviceSid: string, name: string) =>
        (await pg.query<{ sid: string }>('SELECT sid FROM roles WHERE service_sid = $1 AND friendly_name = $2', [serviceSid, name])).rows[0]!.sid;
      const channelAdmin = await sidOf(service.sid, 'channel admin');
      const serviceAdmin = await sidOf(service.sid, 'service admin');
      const update = (params: Record<string, string>) =>
        send('chat.v1.cmd.service.update', { caller: system(), params: { Sid: service.sid, ...params } });

      await expect(update({ DefaultChannelRoleSid: channelAdmin, DefaultServiceRoleSid: serviceAdmin })).resolves.toMatchObject({
        default_channel_role_sid: channelAdmin,
        default_service_role_sid: serviceAdmin,
      });
      const cases: [Record<string, string>, number][] = [
        [{ DefaultServiceRoleSid: channelAdmin }, 50100],
        [{ DefaultServiceRoleSid: newSid('RL') }, 50100],
        [{ DefaultServiceRoleSid: await sidOf(other.sid, 'service user') }, 50100],
        [{ DefaultChannelRoleSid: serviceAdmin }, 50101],
        [{ DefaultChannelCreatorRoleSid: await sidOf(other.sid, 'channel admin') }, 50101],
        [{ FriendlyName: 'not applied', DefaultChannelRoleSid: newSid('RL') }, 50101],
      ];
      for (const [params, code] of cases) {
        expect({ params, error: await failureOf(update(params)) }).toMatchObject({ params, error: { code, status: 400 } });
      }
      await expect(send('chat.v1.cmd.service.fetch', { caller: system(), params: { Sid: service.sid } })).resolves.toMatchObject({
        friendly_name: 'roles',
        default_channel_role_sid: channelAdmin,
      });
    });
  });

  describe('invalid parameters', () => {
    it('answers 400 20001 naming the parameter and writes nothing', async () => {
      const existing = await createService('unchanged');
      const services = await count('services');
      const roles = await count('roles');
      const { rows: before } = await pg.query('SELECT * FROM services WHERE sid = $1', [existing.sid]);

      const cases: [Promise<unknown>, string][] = [
        [send('chat.v1.cmd.service.create', { caller: system(), params: { FriendlyName: '' } }), 'FriendlyName'],
        [send('chat.v1.cmd.service.create', { caller: system(), params: {} as { FriendlyName: string } }), 'FriendlyName'],
        [send('chat.v1.cmd.service.update', { caller: system(), params: { Sid: existing.sid, ReachabilityEnabled: 'maybe' } }), 'ReachabilityEnabled'],
        [send('chat.v1.cmd.service.update', { caller: system(), params: { Sid: existing.sid, 'Limits.ChannelMembers': '5000' } }), 'Limits.ChannelMembers'],
        [send('chat.v1.cmd.service.update', { caller: system(), params: { Sid: existing.sid, PostWebhookUrl: 'ftp://x' } }), 'PostWebhookUrl'],
        [send('chat.v1.cmd.service.update', { caller: system(), params: { Sid: existing.sid, WebhookFilters: ['onNothing'] as never } }), 'WebhookFilters'],
        [send('chat.v1.cmd.service.fetch', { caller: system(), params: { Sid: 'IS123' } }), 'Sid'],
        [send('chat.v1.cmd.service.list', { caller: system(), params: { PageSize: '101' } }), 'PageSize'],
        [send('chat.v1.cmd.service.list', { caller: system(), params: { PageToken: 'PTnot-a-token' } }), 'PageToken'],
        [send('chat.v1.cmd.service.list', { caller: system(), params: { PageToken: 'garbage' } }), 'PageToken'],
      ];
      for (const [attempt, parameter] of cases) {
        const error = await failureOf(attempt);
        expect({ parameter, error }).toMatchObject({ parameter, error: { code: 20001, status: 400 } });
        expect(error.message).toContain(parameter);
      }
      expect(await count('services')).toBe(services);
      expect(await count('roles')).toBe(roles);
      expect((await pg.query('SELECT * FROM services WHERE sid = $1', [existing.sid])).rows).toEqual(before);
    });

    it('names PageSize exactly as Twilio does', async () => {
      expect(await failureOf(send('chat.v1.cmd.service.list', { caller: system(), params: { PageSize: 101 } }))).toEqual({
        code: 20001,
        status: 400,
        message: 'Invalid parameter: PageSize',
      });
    });
  });

  describe('list', () => {
    it('pages forward with PageSize=2 following nextPageToken, then back, without duplicates or misses', async () => {
      const account = await insertAccount();
      const created: ServiceResource[] = [];
      for (const name of ['a', 'b', 'c', 'd', 'e']) created.push(await createService(`page-${name}`, account));
      // Same creation instant for two of them: the sid breaks the tie.
      await pg.query('UPDATE services SET date_created = (SELECT date_created FROM services WHERE sid = $1) WHERE sid = $2', [
        created[1]!.sid,
        created[2]!.sid,
      ]);
      const expected = (
        await pg.query<{ sid: string }>('SELECT sid FROM services WHERE account_sid = $1 ORDER BY date_created, sid', [account])
      ).rows.map((r) => r.sid);
      expect([...expected].sort()).toEqual(created.map((s) => s.sid).sort());
      const list = (params: CommandRequest<'chat.v1.cmd.service.list'>['params']) =>
        send('chat.v1.cmd.service.list', { caller: system(account), params });

      const pages = [await list({ PageSize: '2' })];
      expect(pages[0]!.previousPageToken).toBeNull();
      while (pages[pages.length - 1]!.nextPageToken) {
        pages.push(await list({ PageSize: '2', PageToken: pages[pages.length - 1]!.nextPageToken! }));
      }
      expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
      expect(pages.every((p) => p.pageSize === 2)).toBe(true);
      expect(pages.flatMap((p) => p.items.map((s) => s.sid))).toEqual(expected);

      const back = [pages[pages.length - 1]!];
      while (back[0]!.previousPageToken) back.unshift(await list({ PageSize: '2', PageToken: back[0]!.previousPageToken! }));
      expect(back.map((p) => p.items.map((s) => s.sid))).toEqual(pages.map((p) => p.items.map((s) => s.sid)));

      const all = await list({});
      expect(all.pageSize).toBe(50);
      expect(all.items.map((s) => s.sid)).toHaveLength(5);
      expect(all.nextPageToken).toBeNull();
    });

    it('lists only the caller account’s Services', async () => {
      const account = await insertAccount();
      const theirs = await createService('theirs', account);
      const mine = await send('chat.v1.cmd.service.list', { caller: system(), params: { PageSize: 100 } });
      expect(mine.items.length).toBeGreaterThan(0);
      expect(mine.items.every((s) => s.account_sid === config.PARLEY_ACCOUNT_SID)).toBe(true);
      expect(mine.items.map((s) => s.sid)).not.toContain(theirs.sid);
    });
  });

  describe('tenancy', () => {
    it("answers 404 20404 for another account's Service, exactly like an unknown one, and changes nothing", async () => {
      const account = await insertAccount();
      const theirs = await createService('theirs', account);
      const unknown = newSid('IS');
      const attempts = (sid: string) => [
        send('chat.v1.cmd.service.fetch', { caller: system(), params: { Sid: sid } }),
        send('chat.v1.cmd.service.update', { caller: system(), params: { Sid: sid, FriendlyName: 'stolen' } }),
        send('chat.v1.cmd.service.delete', { caller: system(), params: { Sid: sid } }),
      ];
      const foreign = await Promise.all(attempts(theirs.sid).map(failureOf));
      const missing = await Promise.all(attempts(unknown).map(failureOf));
      expect(foreign.map((e) => ({ ...e, message: e.message.replace(theirs.sid, 'X') }))).toEqual(
        missing.map((e) => ({ ...e, message: e.message.replace(unknown, 'X') })),
      );
      expect(foreign.every((e) => e.code === 20404 && e.status === 404)).toBe(true);
      await expect(send('chat.v1.cmd.service.fetch', { caller: system(account), params: { Sid: theirs.sid } })).resolves.toEqual(theirs);
    });
  });

  describe('delete', () => {
    it('removes the Service and everything under it, then publishes service.removed', async () => {
      const service = await createService('doomed');
      const userSid = newSid('US');
      const channelSid = newSid('CH');
      await pg.query(
        `INSERT INTO users (sid, account_sid, service_sid, identity) VALUES ($1, $2, $3, 'alice')`,
        [userSid, config.PARLEY_ACCOUNT_SID, service.sid],
      );
      await pg.query(`INSERT INTO channels (sid, account_sid, service_sid) VALUES ($1, $2, $3)`, [
        channelSid,
        config.PARLEY_ACCOUNT_SID,
        service.sid,
      ]);

      await expect(send('chat.v1.cmd.service.delete', { caller: system(), params: { Sid: service.sid } })).resolves.toEqual({});
      expect(await failureOf(send('chat.v1.cmd.service.fetch', { caller: system(), params: { Sid: service.sid } }))).toMatchObject({
        code: 20404,
        status: 404,
      });
      expect(await count('roles', 'service_sid = $1', [service.sid])).toBe(0);
      expect((await pg.query('SELECT 1 FROM users WHERE sid = $1 UNION ALL SELECT 1 FROM channels WHERE sid = $2', [userSid, channelSid])).rowCount).toBe(0);
      await waitFor(() => events.some((e) => e.name === 'service.removed' && e.serviceSid === service.sid), {
        description: 'service.removed event',
      });
      expect(await failureOf(send('chat.v1.cmd.service.delete', { caller: system(), params: { Sid: service.sid } }))).toMatchObject({
        code: 20404,
      });
    });
  });
});

describe('message-service start-up on a fresh database', () => {
  let db: TestDatabase;
  const instances: Instance[] = [];

  beforeAll(async () => {
    db = await createEmptyDatabase('msboot');
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.app.close()));
    await db?.drop();
  });

  it('migrates once when two replicas start at the same time, then both serve', async () => {
    const { natsSubjectPrefix } = isolationPrefixes('msboot');
    const config = messageConfig(db, natsSubjectPrefix);
    instances.push(...(await Promise.all([bootMessageService(config), bootMessageService(config)])));
    for (const { url } of instances) expect((await fetch(`${url}/health/ready`)).status).toBe(200);

    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const { rows: migrations } = await pg.query<{ name: string }>('SELECT name FROM migrations');
      expect(migrations.map((m) => m.name)).toEqual(['InitialSchema1764000000000', 'InvitesByIdentity1765000000000', 'ChannelSendAllowance1766000000000']);
      expect((await pg.query('SELECT sid FROM accounts')).rows).toEqual([{ sid: config.PARLEY_ACCOUNT_SID }]);
    } finally {
      await pg.end();
    }

    const client = new NatsTransport({ servers: NATS_URL, subjectPrefix: natsSubjectPrefix, name: 'boot-spec', logger: silent });
    await client.connect();
    try {
      const credentials = { username: config.PARLEY_ACCOUNT_SID, password: config.PARLEY_AUTH_TOKEN };
      const answers = await Promise.all(Array.from({ length: 10 }, () => client.request('chat.v1.cmd.account.authenticate', credentials)));
      expect(answers.every((a) => a.via === 'auth_token')).toBe(true);
    } finally {
      await client.drain();
    }
  });

  it('re-hashes the bootstrap token when the configured token changes', async () => {
    const { natsSubjectPrefix } = isolationPrefixes('msrot');
    const first = messageConfig(db, natsSubjectPrefix);
    const rotated: MessageConfig = { ...first, PARLEY_AUTH_TOKEN: randomBytes(16).toString('hex') };
    const client = new NatsTransport({ servers: NATS_URL, subjectPrefix: natsSubjectPrefix, name: 'rotate-spec', logger: silent });
    await client.connect();
    try {
      const a = await bootMessageService(first);
      await a.app.close();
      const b = await bootMessageService(rotated);
      instances.push(b);
      await expect(
        client.request('chat.v1.cmd.account.authenticate', { username: first.PARLEY_ACCOUNT_SID, password: rotated.PARLEY_AUTH_TOKEN }),
      ).resolves.toMatchObject({ via: 'auth_token' });
      expect(
        await failureOf(client.request('chat.v1.cmd.account.authenticate', { username: first.PARLEY_ACCOUNT_SID, password: first.PARLEY_AUTH_TOKEN })),
      ).toMatchObject({ code: 20003 });
    } finally {
      await client.drain();
    }
  });
});
