import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, MigrationExecutor } from 'typeorm';
import { dataSourceOptions } from '../../apps/message-service/src/database/data-source-options';
import { ServiceEntity } from '../../apps/message-service/src/database/entities';
import { MIGRATIONS } from '../../apps/message-service/src/database/migrations';
import { runMigrations } from '../../apps/message-service/src/database/run-migrations';

// The message-service schema against the machine's real Postgres, in a throwaway database of its own.
const ADMIN_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `parley_schema_${randomBytes(6).toString('hex')}`;
const DB_URL = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  return url.toString();
})();

const TABLES = [
  'accounts',
  'api_keys',
  'services',
  'roles',
  'users',
  'channels',
  'members',
  'messages',
  'invites',
  'bindings',
  'credentials',
  'channel_webhooks',
];

const sid = (prefix: string) => prefix + randomBytes(16).toString('hex');

describe('message-service schema', () => {
  let a: DataSource;
  let b: DataSource;
  let db: Client;

  beforeAll(async () => {
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${DB_NAME}"`);
    } finally {
      await admin.end();
    }
    // Pool of one each: the migration must run on the connection that holds the lock.
    a = await new DataSource(dataSourceOptions(DB_URL, 1)).initialize();
    b = await new DataSource(dataSourceOptions(DB_URL, 1)).initialize();
    db = new Client({ connectionString: DB_URL });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await a?.destroy();
    await b?.destroy();
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });

  /** Runs `sql` and returns the Postgres error code it fails with (undefined when it succeeds). */
  async function errorCode(sql: string, params: unknown[] = []): Promise<string | undefined> {
    try {
      await db.query(sql, params);
      return undefined;
    } catch (err) {
      return (err as { code?: string }).code;
    }
  }

  // Fixture: one account with a service, two users, a channel with both as members, messages, an invite,
  // a webhook, a credential and a binding.
  const ids = {
    account: sid('AC'),
    service: sid('IS'),
    otherService: sid('IS'),
    role: sid('RL'),
    alice: sid('US'),
    bob: sid('US'),
    channel: sid('CH'),
    credential: sid('CR'),
  };

  async function insertFixture(): Promise<void> {
    const { account, service, otherService, role, alice, bob, channel, credential } = ids;
    await db.query(
      `INSERT INTO accounts (sid, friendly_name, auth_token_hash) VALUES ($1, 'main', 'hash')`,
      [account],
    );
    await db.query(
      `INSERT INTO services (sid, account_sid, friendly_name) VALUES ($1, $3, 'one'), ($2, $3, 'two')`,
      [service, otherService, account],
    );
    await db.query(
      `INSERT INTO roles (sid, account_sid, service_sid, friendly_name, type, permissions)
       VALUES ($1, $2, $3, 'channel user', 'channel', '{sendMessage,leaveChannel}')`,
      [role, account, service],
    );
    await db.query(
      `INSERT INTO users (sid, account_sid, service_sid, identity) VALUES ($1, $3, $4, 'alice'), ($2, $3, $4, 'bob')`,
      [alice, bob, account, service],
    );
    await db.query(
      `INSERT INTO channels (sid, account_sid, service_sid, unique_name) VALUES ($1, $2, $3, 'general')`,
      [channel, account, service],
    );
    await db.query(
      `INSERT INTO members (sid, account_sid, service_sid, channel_sid, identity, user_sid, role_sid)
       VALUES ($1, $3, $4, $5, 'alice', $6, $8), ($2, $3, $4, $5, 'bob', $7, $8)`,
      [sid('MB'), sid('MB'), account, service, channel, alice, bob, role],
    );
    await db.query(
      `INSERT INTO messages (sid, account_sid, service_sid, channel_sid, index, author, body, to_sid, idempotency_key)
       VALUES ($1, $3, $4, $5, 0, 'alice', 'hi', $5, 'k-1'), ($2, $3, $4, $5, 1, 'bob', 'hey', $5, NULL)`,
      [sid('IM'), sid('IM'), account, service, channel],
    );
    await db.query(
      `INSERT INTO invites (sid, account_sid, service_sid, channel_sid, identity) VALUES ($1, $2, $3, $4, 'carol')`,
      [sid('IN'), account, service, channel],
    );
    await db.query(
      `INSERT INTO channel_webhooks (sid, account_sid, service_sid, channel_sid, type, configuration)
       VALUES ($1, $2, $3, $4, 'webhook', '{"url":"https://example.com/hook"}')`,
      [sid('WH'), account, service, channel],
    );
    await db.query(
      `INSERT INTO credentials (sid, account_sid, type, secret_encrypted) VALUES ($1, $2, 'fcm', 'enc')`,
      [credential, account],
    );
    await db.query(
      `INSERT INTO bindings (sid, account_sid, service_sid, user_sid, identity, endpoint, credential_sid, binding_type)
       VALUES ($1, $2, $3, $4, 'alice', 'device-1', $5, 'fcm')`,
      [sid('BS'), account, service, alice, credential],
    );
  }

  async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`, params);
    return rows[0].n;
  }

  it('migrates once when two replicas start at the same time', async () => {
    await Promise.all([runMigrations(a), runMigrations(b)]);

    const { rows } = await db.query('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));

    // A later start finds nothing to do.
    await runMigrations(a);
    expect(await count('migrations')).toBe(MIGRATIONS.length);
  });

  it('creates every table', async () => {
    const { rows } = await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual([...TABLES, 'migrations'].sort());
  });

  it('matches the entities exactly (TypeORM sees nothing to synchronize)', async () => {
    const pending = await a.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('has the keyset paging indexes', async () => {
    const { rows } = await db.query(`SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'`);
    const defs = rows.map((r) => r.indexdef as string);
    const expected: Array<[string, string]> = [
      ['services', '(account_sid, date_created, sid)'],
      ['api_keys', '(account_sid, sid)'],
      ['credentials', '(account_sid, sid)'],
      ['roles', '(service_sid, sid)'],
      ['users', '(service_sid, sid)'],
      ['channels', '(service_sid, sid)'],
      ['channels', '(service_sid, type, sid)'],
      ['members', '(channel_sid, sid)'],
      ['members', '(user_sid, channel_sid)'],
      ['messages', '(channel_sid, index)'],
      ['invites', '(channel_sid, sid)'],
      ['invites', '(service_sid, identity, channel_sid)'],
      ['bindings', '(service_sid, sid)'],
      ['bindings', '(user_sid, sid)'],
      ['channel_webhooks', '(channel_sid, sid)'],
    ];
    for (const [table, columns] of expected) {
      expect(defs.filter((d) => d.includes(`ON public.${table} USING btree ${columns}`))).not.toHaveLength(0);
    }
  });

  it('round-trips arrays and json through the entities', async () => {
    await insertFixture();
    const repo = a.getRepository(ServiceEntity);
    const service = await repo.findOneByOrFail({ sid: ids.service });
    expect(service).toMatchObject({
      accountSid: ids.account,
      readStatusEnabled: true,
      reachabilityEnabled: false,
      typingIndicatorTimeout: 5,
      limitsChannelMembers: 250,
      limitsUserChannels: 100,
      webhookMethod: 'POST',
      webhookFilters: [],
      notifications: {},
      media: {},
    });
    await repo.update(
      { sid: ids.service, accountSid: ids.account },
      {
        webhookFilters: ['onMessageSent', 'onChannelAdded'],
        notifications: {
          log_enabled: true,
          new_message: { enabled: true, template: '${MESSAGE}', sound: null, badge_count_enabled: true },
        },
        media: { size_limit_mb: 150, compatibility_message: 'no media here' },
      },
    );
    const updated = await repo.findOneByOrFail({ sid: ids.service });
    expect(updated.webhookFilters).toEqual(['onMessageSent', 'onChannelAdded']);
    expect(updated.notifications.new_message?.template).toBe('${MESSAGE}');
    expect(updated.media.compatibility_message).toBe('no media here');
    expect(updated.dateCreated).toBeInstanceOf(Date);
  });

  describe('unique rules', () => {
    const { account, service, otherService, channel } = ids;

    it('one user per identity per service', async () => {
      const insert = `INSERT INTO users (sid, account_sid, service_sid, identity) VALUES ($1, $2, $3, $4)`;
      expect(await errorCode(insert, [sid('US'), account, service, 'alice'])).toBe('23505');
      expect(await errorCode(insert, [sid('US'), account, otherService, 'alice'])).toBeUndefined();
    });

    it('unique_name per service, many channels without one', async () => {
      const insert = `INSERT INTO channels (sid, account_sid, service_sid, unique_name) VALUES ($1, $2, $3, $4)`;
      expect(await errorCode(insert, [sid('CH'), account, service, 'general'])).toBe('23505');
      expect(await errorCode(insert, [sid('CH'), account, otherService, 'general'])).toBeUndefined();
      expect(await errorCode(insert, [sid('CH'), account, service, null])).toBeUndefined();
      expect(await errorCode(insert, [sid('CH'), account, service, null])).toBeUndefined();
    });

    it('one member per identity per channel', async () => {
      const insert = `INSERT INTO members (sid, account_sid, service_sid, channel_sid, identity, user_sid)
                      VALUES ($1, $2, $3, $4, $5, $6)`;
      expect(await errorCode(insert, [sid('MB'), account, service, channel, 'alice', ids.alice])).toBe('23505');
      // The same user under another identity spelling is still the same membership.
      expect(await errorCode(insert, [sid('MB'), account, service, channel, 'alice2', ids.alice])).toBe('23505');
    });

    it('one message per index per channel', async () => {
      const insert = `INSERT INTO messages (sid, account_sid, service_sid, channel_sid, index, to_sid, idempotency_key)
                      VALUES ($1, $2, $3, $4, $5, $4, $6)`;
      expect(await errorCode(insert, [sid('IM'), account, service, channel, 1, null])).toBe('23505');
      expect(await errorCode(insert, [sid('IM'), account, service, channel, 2, 'k-1'])).toBe('23505');
      // Keys are optional: many messages without one.
      expect(await errorCode(insert, [sid('IM'), account, service, channel, 2, null])).toBeUndefined();
      expect(await errorCode(insert, [sid('IM'), account, service, channel, 3, null])).toBeUndefined();
    });

    it('one pending invite per identity per channel', async () => {
      const insert = `INSERT INTO invites (sid, account_sid, service_sid, channel_sid, identity)
                      VALUES ($1, $2, $3, $4, $5)`;
      expect(await errorCode(insert, [sid('IN'), account, service, channel, 'carol'])).toBe('23505');
      expect(await errorCode(insert, [sid('IN'), account, service, channel, 'dave'])).toBeUndefined();
    });

    it('role names are unique per service', async () => {
      const insert = `INSERT INTO roles (sid, account_sid, service_sid, friendly_name, type)
                      VALUES ($1, $2, $3, $4, 'channel')`;
      expect(await errorCode(insert, [sid('RL'), account, service, 'channel user'])).toBe('23505');
      expect(await errorCode(insert, [sid('RL'), account, otherService, 'channel user'])).toBeUndefined();
    });

    it('one binding per endpoint and type per service', async () => {
      const insert = `INSERT INTO bindings (sid, account_sid, service_sid, user_sid, identity, endpoint, binding_type)
                      VALUES ($1, $2, $3, $4, $5, 'device-1', $6)`;
      expect(await errorCode(insert, [sid('BS'), account, service, ids.bob, 'bob', 'fcm'])).toBe('23505');
      expect(await errorCode(insert, [sid('BS'), account, service, ids.bob, 'bob', 'apn'])).toBeUndefined();
    });

    it('rejects values outside the enums', async () => {
      const badRole = `INSERT INTO roles (sid, account_sid, service_sid, friendly_name, type)
                       VALUES ($1, $2, $3, 'x', 'admin')`;
      expect(await errorCode(badRole, [sid('RL'), account, service])).toBe('23514');
      expect(await errorCode(`UPDATE channels SET type = 'secret' WHERE sid = $1`, [channel])).toBe('23514');
    });
  });

  it('assigns message indexes from the channel row without gaps or repeats under concurrency', async () => {
    const channel = sid('CH');
    await db.query(`INSERT INTO channels (sid, account_sid, service_sid) VALUES ($1, $2, $3)`, [
      channel,
      ids.account,
      ids.service,
    ]);
    // The insert path repositories use: bump the channel's counter and insert, in one transaction.
    const send = (ds: DataSource) =>
      ds.transaction(async (tx) => {
        // TypeORM answers an UPDATE with [rows, affectedCount].
        const [[{ index }]] = await tx.query(
          `UPDATE channels SET next_message_index = next_message_index + 1, messages_count = messages_count + 1
           WHERE sid = $1 AND service_sid = $2 RETURNING next_message_index - 1 AS index`,
          [channel, ids.service],
        );
        await tx.query(
          `INSERT INTO messages (sid, account_sid, service_sid, channel_sid, index, to_sid)
           VALUES ($1, $2, $3, $4, $5, $4)`,
          [sid('IM'), ids.account, ids.service, channel, index],
        );
        return index as number;
      });
    // Two pools (one connection each) really contend for the channel row.
    const indexes = await Promise.all(Array.from({ length: 40 }, (_, i) => send(i % 2 ? a : b)));
    expect([...indexes].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const { rows } = await db.query(`SELECT messages_count, next_message_index FROM channels WHERE sid = $1`, [
      channel,
    ]);
    expect(rows[0]).toEqual({ messages_count: 40, next_message_index: 40 });
  });

  describe('cascades', () => {
    it('deleting a user removes its memberships and bindings', async () => {
      await db.query(`DELETE FROM users WHERE sid = $1`, [ids.bob]);
      expect(await count('members', 'user_sid = $1', [ids.bob])).toBe(0);
      expect(await count('bindings', 'user_sid = $1', [ids.bob])).toBe(0);
      expect(await count('members', 'user_sid = $1', [ids.alice])).toBe(1);
    });

    it('deleting a credential detaches its bindings', async () => {
      await db.query(`DELETE FROM credentials WHERE sid = $1`, [ids.credential]);
      const { rows } = await db.query(`SELECT credential_sid FROM bindings WHERE user_sid = $1`, [ids.alice]);
      expect(rows).toEqual([{ credential_sid: null }]);
    });

    it('deleting a channel removes its members, messages, invites and webhooks', async () => {
      const channel = sid('CH');
      await db.query(`INSERT INTO channels (sid, account_sid, service_sid) VALUES ($1, $2, $3)`, [
        channel,
        ids.account,
        ids.service,
      ]);
      await db.query(
        `INSERT INTO members (sid, account_sid, service_sid, channel_sid, identity, user_sid)
         VALUES ($1, $2, $3, $4, 'alice', $5)`,
        [sid('MB'), ids.account, ids.service, channel, ids.alice],
      );
      await db.query(
        `INSERT INTO messages (sid, account_sid, service_sid, channel_sid, index, to_sid)
         VALUES ($1, $2, $3, $4, 0, $4)`,
        [sid('IM'), ids.account, ids.service, channel],
      );
      await db.query(
        `INSERT INTO invites (sid, account_sid, service_sid, channel_sid, identity) VALUES ($1, $2, $3, $4, 'bob')`,
        [sid('IN'), ids.account, ids.service, channel],
      );
      await db.query(
        `INSERT INTO channel_webhooks (sid, account_sid, service_sid, channel_sid, type)
         VALUES ($1, $2, $3, $4, 'studio')`,
        [sid('WH'), ids.account, ids.service, channel],
      );
      await db.query(`DELETE FROM channels WHERE sid = $1`, [channel]);
      for (const table of ['members', 'messages', 'invites', 'channel_webhooks']) {
        expect(await count(table, 'channel_sid = $1', [channel])).toBe(0);
      }
      expect(await count('members', 'channel_sid = $1', [ids.channel])).toBe(1);
    });

    it('deleting a service removes everything under it and nothing else', async () => {
      expect(await count('messages', 'service_sid = $1', [ids.service])).toBeGreaterThan(0);
      await db.query(`DELETE FROM services WHERE sid = $1`, [ids.service]);
      const children = ['roles', 'users', 'channels', 'members', 'messages', 'invites', 'bindings', 'channel_webhooks'];
      for (const table of children) {
        expect(await count(table, 'service_sid = $1', [ids.service])).toBe(0);
      }
      expect(await count('users', 'service_sid = $1', [ids.otherService])).toBe(1);
      expect(await count('services', 'sid = $1', [ids.otherService])).toBe(1);
    });

    it('deleting an account removes its services, keys and credentials', async () => {
      await db.query(`INSERT INTO api_keys (sid, account_sid, secret_encrypted) VALUES ($1, $2, 'enc')`, [
        sid('SK'),
        ids.account,
      ]);
      await db.query(`DELETE FROM accounts WHERE sid = $1`, [ids.account]);
      for (const table of ['services', 'api_keys', 'credentials', 'users', 'channels']) {
        expect(await count(table)).toBe(0);
      }
    });
  });

  it('reverts cleanly', async () => {
    const executor = new MigrationExecutor(a);
    for (let i = 0; i < MIGRATIONS.length; i++) await executor.undoLastMigration();
    const { rows } = await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(['migrations']);
    await runMigrations(a);
    expect(await count('migrations')).toBe(MIGRATIONS.length);
  });
});
