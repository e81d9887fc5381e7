// The system under test: the built services as processes against the machine's Postgres, Redis and NATS, in a fresh
// database, a NATS subject prefix and a Redis key prefix of its own; an account, one API key and a Service over REST.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ADMIN_URL, NATS_URL, REDIS_URL, freePort, httpClient, progress, startService } from './common.mjs';

/** `fn` over `items` with at most `concurrency` in flight; rejects on the first failure. */
export async function pool(items, concurrency, fn) {
  let next = 0;
  const results = new Array(items.length);
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * Starts api-gateway, message-service ×N, presence-service and realtime-gateway ×M. `env` is added to every
 * service's environment (e.g. SOCKET_COMMANDS_PER_SECOND).
 */
export async function startParley({ label, messageServices = 2, gateways = 2, presence = true, env: extra = {}, poolSize = 20 } = {}) {
  const id = randomBytes(4).toString('hex');
  const databaseName = `parley_bench_${label.replace(/[^a-z0-9]/gi, '')}_${id}`.toLowerCase();
  const databaseUrl = (() => {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${databaseName}`;
    return url.toString();
  })();
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const redisKeyPrefix = `bench_${id}:`;
  const common = {
    NATS_URL,
    NATS_SUBJECT_PREFIX: `bench_${id}`,
    REDIS_URL,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    PARLEY_ACCOUNT_SID: accountSid,
    PARLEY_AUTH_TOKEN: authToken,
    PARLEY_SECRET_KEY: randomBytes(32).toString('hex'),
    SHUTDOWN_TIMEOUT_MS: '5000',
    // The benchmarks measure the paths, not Twilio's limits: the per-account REST limit (30/s by default) and the
    // per-channel send limit (30 actions/s per channel, cluster-wide) are lifted — the checks still run, so their cost
    // is measured; hot-channel sends exactly 30/s and persist ~35/s per channel, which the limits would cut.
    REST_RATE_LIMIT_PER_SECOND: '100000',
    CHANNEL_ACTIONS_PER_SECOND: '1000000',
    ...extra,
  };
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  const processes = [];
  const stack = {
    id,
    databaseName,
    databaseUrl,
    accountSid,
    redisKeyPrefix,
    processes,
    gateways: [],
    rest: null,
    serviceSid: null,
    keySid: null,
    keySecret: null,
    async addGateway({ inspect = false } = {}) {
      const gw = await startService('realtime-gateway', common, { inspectPort: inspect ? await freePort() : undefined });
      processes.push(gw);
      this.gateways.push(gw);
      return gw;
    },
    pids(app) {
      return processes.filter((p) => p.app === app && p.alive).map((p) => p.pid);
    },
    async stop() {
      this.rest?.close();
      await Promise.all(processes.splice(0).map((p) => p.stop().catch(() => undefined)));
      if (process.env.BENCH_KEEP_DB !== '1') await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
      await clearRedisPrefix(redisKeyPrefix);
    },
  };
  try {
    const t0 = Date.now();
    // One first: it migrates the fresh database and creates the account.
    const first = await startService('message-service', { ...common, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(poolSize) });
    processes.push(first);
    const apiPort = await freePort();
    const starts = [
      ...Array.from({ length: messageServices - 1 }, () => startService('message-service', { ...common, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(poolSize) })),
      startService('api-gateway', { ...common, PORT: String(apiPort), PARLEY_PUBLIC_URL: `http://127.0.0.1:${apiPort}` }),
      ...(presence ? [startService('presence-service', common)] : []),
    ];
    processes.push(...(await Promise.all(starts)));
    // Gateways after presence: their first heartbeat goes before they accept sockets.
    const gws = await Promise.all(Array.from({ length: gateways }, () => startService('realtime-gateway', common)));
    processes.push(...gws);
    stack.gateways.push(...gws);
    const api = processes.find((p) => p.app === 'api-gateway');
    stack.apiUrl = api.url;
    stack.rest = httpClient(api.url, `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
    const key = await stack.rest('POST', `/2010-04-01/Accounts/${accountSid}/Keys.json`, { FriendlyName: 'bench tokens' });
    if (key.status !== 201) throw new Error(`CreateKey answered ${key.status}: ${key.text}`);
    ({ sid: stack.keySid, secret: stack.keySecret } = key.json());
    const service = await stack.rest('POST', '/v2/Services', { FriendlyName: `bench ${label}` });
    if (service.status !== 201) throw new Error(`CreateService answered ${service.status}: ${service.text}`);
    stack.serviceSid = service.json().sid;
    progress(`  parley up in ${((Date.now() - t0) / 1000).toFixed(1)} s: message-service ×${messageServices}, api-gateway, ${presence ? 'presence-service, ' : ''}realtime-gateway ×${gateways} (db ${databaseName})`);
  } catch (err) {
    await stack.stop().catch(() => undefined);
    throw err;
  }
  return stack;
}

/** What the load generators need to mint Access Tokens with the helper (one API key, created at set-up). */
export function tokenConfig(stack) {
  return { accountSid: stack.accountSid, keySid: stack.keySid, keySecret: stack.keySecret, serviceSid: stack.serviceSid };
}

/** Channels over REST, each with its members (identities), `concurrency` requests in flight. */
export async function createChannels(stack, channels, { concurrency = 16 } = {}) {
  const path = `/v2/Services/${stack.serviceSid}/Channels`;
  const sids = await pool(channels, concurrency, async (c) => {
    const res = await stack.rest('POST', path, { FriendlyName: c.name, UniqueName: c.name });
    if (res.status !== 201) throw new Error(`CreateChannel answered ${res.status}: ${res.text}`);
    return res.json().sid;
  });
  const members = [];
  channels.forEach((c, i) => {
    for (const identity of c.members) members.push([sids[i], identity]);
  });
  await pool(members, concurrency, async ([sid, identity]) => {
    const res = await stack.rest('POST', `${path}/${sid}/Members`, { Identity: identity });
    if (res.status !== 201) throw new Error(`CreateMember answered ${res.status}: ${res.text}`);
  });
  return sids;
}

export async function clearRedisPrefix(prefix) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    let rounds = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0' && ++rounds < 10_000);
  } catch {
    // best effort
  } finally {
    redis.disconnect();
  }
}
