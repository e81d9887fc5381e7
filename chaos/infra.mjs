// Throwaway Postgres, Redis and NATS for `npm run chaos`, on their own ports and data directories under
// tmp/chaos/. The machine's shared instances (5432, 6379, 4222) are used by other people's tests all the time:
// chaos never connects to them, let alone stops them. Everything started here is stopped by `stopAll`, which
// run.mjs calls on success, failure and interruption alike.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, chownSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const SHARED_PORTS = new Set([5432, 6379, 4222]);

export const PORTS = {
  postgres: Number(process.env.CHAOS_PG_PORT ?? 55432),
  redis: Number(process.env.CHAOS_REDIS_PORT ?? 56379),
  nats: Number(process.env.CHAOS_NATS_PORT ?? 54222),
};
for (const [name, port] of Object.entries(PORTS)) {
  if (SHARED_PORTS.has(port)) throw new Error(`chaos: refusing to use the shared ${name} port ${port}`);
}

export function portOpen(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitPort(port, open, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await portOpen(port)) === open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`chaos: ${what} did not ${open ? 'open' : 'close'} port ${port} in ${timeoutMs} ms`);
}

function pgBin(name) {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const path = `/usr/lib/postgresql/${v}/bin/${name}`;
    if (existsSync(path)) return path;
  }
  throw new Error(`chaos: ${name} not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)`);
}

const isRoot = process.getuid?.() === 0;
/** Postgres refuses to run as root: as root, its tools run as the postgres user. */
function pgRun(args, opts = {}) {
  const [bin, ...rest] = args;
  const cmd = isRoot ? ['runuser', ['-u', 'postgres', '--', pgBin(bin), ...rest]] : [pgBin(bin), rest];
  return execFileSync(cmd[0], cmd[1], { stdio: ['ignore', 'pipe', 'pipe'], ...opts }).toString();
}

function binary(name, fallbacks) {
  for (const candidate of [name, ...fallbacks]) {
    try {
      return execFileSync('sh', ['-c', `command -v ${candidate}`]).toString().trim() || candidate;
    } catch {
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`chaos: ${name} not found (apt-get install ${name === 'nats-server' ? 'nats-server' : 'redis-server'})`);
}

export class Infra {
  constructor(root) {
    this.root = root;
    this.logs = join(root, 'logs');
    this.pgData = join(root, 'pg', 'data');
    this.pgSock = join(root, 'pg', 'sock');
    this.natsData = join(root, 'nats');
    this.redis = null;
    this.nats = null;
    this.pgStarted = false;
  }

  get urls() {
    return {
      database: `postgres://postgres@127.0.0.1:${PORTS.postgres}/parley`,
      admin: `postgres://postgres@127.0.0.1:${PORTS.postgres}/postgres`,
      redis: `redis://127.0.0.1:${PORTS.redis}`,
      nats: `nats://127.0.0.1:${PORTS.nats}`,
    };
  }

  async startAll() {
    for (const [name, port] of Object.entries(PORTS)) {
      if (await portOpen(port)) throw new Error(`chaos: port ${port} (${name}) is already in use; set CHAOS_${name === 'postgres' ? 'PG' : name.toUpperCase()}_PORT`);
    }
    rmSync(join(this.root, 'pg'), { recursive: true, force: true });
    rmSync(this.natsData, { recursive: true, force: true });
    mkdirSync(this.logs, { recursive: true });
    mkdirSync(this.pgData, { recursive: true });
    mkdirSync(this.pgSock, { recursive: true });
    mkdirSync(this.natsData, { recursive: true });
    if (isRoot) {
      for (const dir of [join(this.root, 'pg'), this.pgData, this.pgSock]) chownSync(dir, uid('postgres'), gid('postgres'));
    }
    pgRun(['initdb', '-D', this.pgData, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    writeFileSync(join(this.pgData, 'postgresql.auto.conf'), 'fsync = off\nsynchronous_commit = off\nmax_connections = 200\n', { flag: 'a' });
    await this.startPostgres();
    await this.startRedis();
    await this.startNats();
  }

  async startPostgres() {
    const opts = `-p ${PORTS.postgres} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.pgSock}`;
    const log = join(isRoot ? join(this.root, 'pg') : this.logs, 'postgres.log');
    pgRun(['pg_ctl', '-D', this.pgData, '-o', opts, '-l', log, '-w', '-t', '30', 'start']);
    this.pgStarted = true;
    await waitPort(PORTS.postgres, true, 'postgres');
  }

  async stopPostgres(mode = 'fast') {
    if (!this.pgStarted) return;
    pgRun(['pg_ctl', '-D', this.pgData, '-m', mode, '-w', '-t', '30', 'stop']);
    this.pgStarted = false;
    await waitPort(PORTS.postgres, false, 'postgres');
  }

  async startRedis() {
    const bin = binary('redis-server', ['/usr/bin/redis-server']);
    this.redis = spawnLogged(bin, ['--port', String(PORTS.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], join(this.logs, 'redis.log'));
    await waitPort(PORTS.redis, true, 'redis');
  }

  async stopRedis() {
    await stopChild(this.redis);
    this.redis = null;
    await waitPort(PORTS.redis, false, 'redis');
  }

  async startNats() {
    const bin = binary('nats-server', ['/usr/sbin/nats-server']);
    this.nats = spawnLogged(bin, ['-a', '127.0.0.1', '-p', String(PORTS.nats), '-js', '-sd', this.natsData], join(this.logs, 'nats.log'));
    await waitPort(PORTS.nats, true, 'nats');
  }

  async stopNats() {
    await stopChild(this.nats);
    this.nats = null;
    await waitPort(PORTS.nats, false, 'nats');
  }

  /** Stops whatever is still running and removes the data directories. Never throws. */
  async stopAll() {
    await Promise.allSettled([stopChild(this.redis), stopChild(this.nats)]);
    this.redis = this.nats = null;
    try {
      if (this.pgStarted || existsSync(join(this.pgData, 'postmaster.pid'))) pgRun(['pg_ctl', '-D', this.pgData, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already down
    }
    this.pgStarted = false;
    rmSync(join(this.root, 'pg'), { recursive: true, force: true });
    rmSync(this.natsData, { recursive: true, force: true });
  }

  /** Synchronous last resort for process exit: kill -9 the children, stop Postgres immediately. */
  killSync() {
    for (const child of [this.redis, this.nats]) if (child && child.exitCode === null) child.kill('SIGKILL');
    try {
      if (existsSync(join(this.pgData, 'postmaster.pid'))) pgRun(['pg_ctl', '-D', this.pgData, '-m', 'immediate', 'stop']);
    } catch {
      // nothing to stop
    }
  }
}

function spawnLogged(bin, args, logFile) {
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  child.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  return child;
}

async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await child.exited;
  clearTimeout(timer);
}

function uid(name) {
  return Number(execFileSync('id', ['-u', name]).toString().trim());
}
function gid(name) {
  return Number(execFileSync('id', ['-g', name]).toString().trim());
}
