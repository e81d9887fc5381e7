#!/usr/bin/env node
// `npm start`: checks Postgres, Redis and NATS, builds, runs all four services, prints the URLs and the
// dev credentials, and stops everything on Ctrl-C. Configuration: process env > .env > .env.example.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import { connect as natsConnect } from 'nats';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function readEnvFile(path) {
  if (!existsSync(path)) return {};
  const vars = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) vars[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

const env = { ...readEnvFile(join(root, '.env.example')), ...readEnvFile(join(root, '.env')), ...process.env };
const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley';
const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const natsUrl = env.NATS_URL ?? 'nats://127.0.0.1:4222';

const HOW_TO_START = {
  Postgres: "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (Debian: apt-get install postgresql)",
  Redis: "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no   (Debian: apt-get install redis-server)",
  NATS: 'nats-server -js -a 127.0.0.1 -p 4222 &   (Debian: apt-get install nats-server)',
};

async function check(name, url, probe) {
  try {
    await probe();
    console.log(`  ✓ ${name} at ${url.replace(/\/\/[^@/]*@/, '//')}`);
    return true;
  } catch (err) {
    console.error(`  ✗ ${name} is not reachable at ${url.replace(/\/\/[^@/]*@/, '//')}: ${err.message}\n    start it with: ${HOW_TO_START[name]}`);
    return false;
  }
}

async function ensureDatabase() {
  const target = new URL(databaseUrl);
  const dbName = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${dbName.replace(/"/g, '""')}"`);
      console.log(`  + created database ${dbName}`);
    }
  } finally {
    await client.end();
  }
}

async function checkInfrastructure() {
  console.log('Checking infrastructure…');
  const results = [
    await check('Postgres', databaseUrl, ensureDatabase),
    await check('Redis', redisUrl, async () => {
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await redis.connect();
        await redis.ping();
      } finally {
        redis.disconnect();
      }
    }),
    await check('NATS', natsUrl, async () => {
      const nc = await natsConnect({ servers: natsUrl.split(','), timeout: 2000 });
      await nc.close();
    }),
  ];
  if (results.includes(false)) process.exit(1);
}

const SERVICES = [
  { app: 'message-service', port: env.MESSAGE_SERVICE_PORT ?? '3010', color: 35 },
  { app: 'presence-service', port: env.PRESENCE_SERVICE_PORT ?? '3020', color: 36 },
  { app: 'api-gateway', port: env.API_GATEWAY_PORT ?? '3000', color: 32 },
  { app: 'realtime-gateway', port: env.REALTIME_GATEWAY_PORT ?? '3001', color: 33 },
];

const children = [];
let stopping = false;

function run({ app, port, color }) {
  const child = spawn(process.execPath, [join(root, 'dist', 'apps', app, 'main.js')], {
    cwd: root,
    env: { ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tag = `\x1b[${color}m${app.padEnd(16)}\x1b[0m│ `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) process.stdout.write(tag + line + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${app} exited (${signal ?? code}); stopping the stack`);
      shutdown(1);
    }
  });
  children.push(child);
}

async function waitReady({ app, port }) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${app} did not become ready on port ${port}`);
}

function shutdown(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  for (const child of children) child.kill('SIGTERM');
  let alive = children.length;
  if (!alive) process.exit(code);
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) {
      if (--alive === 0) process.exit(code);
      continue;
    }
    child.once('exit', () => {
      if (--alive === 0) process.exit(code);
    });
  }
  setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
    process.exit(code);
  }, 15_000).unref();
}

async function main() {
  await checkInfrastructure();
  console.log('Building…');
  const build = spawnSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);

  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  // message-service first: it migrates the database and creates the dev account.
  run(SERVICES[0]);
  await waitReady(SERVICES[0]);
  for (const service of SERVICES.slice(1)) run(service);
  await Promise.all(SERVICES.slice(1).map(waitReady));

  const api = env.PARLEY_PUBLIC_URL ?? `http://127.0.0.1:${SERVICES[2].port}`;
  const sid = env.PARLEY_ACCOUNT_SID;
  const token = env.PARLEY_AUTH_TOKEN;
  console.log(`
\x1b[1mParley is running.\x1b[0m  (Ctrl-C stops everything)

  REST API (Twilio Chat v2)   ${api}/v2/Services
  Realtime (Socket.IO)        ws://127.0.0.1:${SERVICES[3].port}
  API docs                    ${api}/docs
  Health                      ${SERVICES.map((s) => `:${s.port}`).join(' ')}  (/health/ready, /metrics)

  Dev credentials (from .env.example; override in .env):
    PARLEY_ACCOUNT_SID=${sid}
    PARLEY_AUTH_TOKEN=${token}

  Try:
    curl -u ${sid}:${token} -d FriendlyName=demo ${api}/v2/Services
`);
}

main().catch((err) => {
  console.error(err.message ?? err);
  shutdown(1);
});
