#!/usr/bin/env node
// `npm run chaos`: faults under steady load, measured.
//
// Starts throwaway Postgres, Redis and NATS (chaos/infra.mjs: own ports, own data dirs; the machine's shared
// instances are never touched), the built services on them (message-service ×2, realtime-gateway ×2 behind a TCP
// balancer, presence-service, api-gateway), and SDK clients that send messages with idempotency keys at a steady
// rate, recording every acknowledgement and every message they receive. Then, in turn: kill -9 of one
// realtime-gateway, of one message-service replica, of the presence-service; restart of Redis, of NATS, of Postgres.
// After each it waits for recovery; at the end it checks, from Postgres and from every client's log, that no
// acknowledged message was lost, none stored twice, none delivered out of order, and writes the table into
// docs/resilience.md (between the chaos markers) and tmp/chaos/report.json.
//
// Settings: CHAOS_CLIENTS (8), CHAOS_SEND_INTERVAL_MS (250), CHAOS_HOLD_DOWN_MS (3000: how long a restarted
// dependency stays down), CHAOS_STEADY_MS (4000: load between faults), CHAOS_RECOVERY_TIMEOUT_MS (60000),
// CHAOS_WRITE_DOCS=0 to leave docs/ alone, CHAOS_PG_PORT / CHAOS_REDIS_PORT / CHAOS_NATS_PORT.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Infra, PORTS } from './infra.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { Client: Pg } = require('pg');
const twilio = require('twilio');
const testing = require(join(root, 'dist/libs/testing/index.js'));
const { Client } = require(join(root, 'dist/libs/client/index.js'));

const env = process.env;
const num = (name, fallback) => (env[name] ? Number(env[name]) : fallback);
const CONFIG = {
  clients: num('CHAOS_CLIENTS', 8),
  sendIntervalMs: num('CHAOS_SEND_INTERVAL_MS', 250),
  holdDownMs: num('CHAOS_HOLD_DOWN_MS', 3000),
  steadyMs: num('CHAOS_STEADY_MS', 4000),
  recoveryTimeoutMs: num('CHAOS_RECOVERY_TIMEOUT_MS', 60_000),
  writeDocs: env.CHAOS_WRITE_DOCS !== '0',
};
const CHAOS_DIR = join(root, 'tmp', 'chaos');
const DOC = join(root, 'docs', 'resilience.md');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const log = (msg) => process.stdout.write(`[chaos +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);

// ---------------------------------------------------------------------------------------------------------------
// The stack

class Stack {
  constructor(infra) {
    this.infra = infra;
    this.accountSid = `AC${randomBytes(16).toString('hex')}`;
    this.authToken = randomBytes(16).toString('hex');
    this.secretKey = randomBytes(32).toString('hex');
    this.processes = [];
    this.balancer = null;
  }

  env(extra = {}) {
    return {
      NATS_URL: this.infra.urls.nats,
      REDIS_URL: this.infra.urls.redis,
      REDIS_KEY_PREFIX: 'chaos:',
      DATABASE_URL: this.infra.urls.database,
      DATABASE_POOL_SIZE: '10',
      PARLEY_ACCOUNT_SID: this.accountSid,
      PARLEY_AUTH_TOKEN: this.authToken,
      PARLEY_SECRET_KEY: this.secretKey,
      SHUTDOWN_TIMEOUT_MS: '5000',
      REST_RATE_LIMIT_PER_SECOND: '100000',
      PRESENCE_NODE_TTL_MS: '6000',
      LOG_LEVEL: 'info',
      ...(this.publicUrl ? { PARLEY_PUBLIC_URL: this.publicUrl } : {}),
      ...extra,
    };
  }

  async add(app, extra) {
    const proc = await testing.startService(app, this.env(extra), { readyTimeoutMs: 60_000 });
    this.processes.push(proc);
    if (app === 'realtime-gateway' && this.balancer) this.balancer.upstreams.push(proc.port);
    return proc;
  }

  running(app) {
    return this.processes.filter((p) => p.app === app && p.child.exitCode === null && p.child.signalCode === null);
  }

  async kill(proc) {
    proc.killedByChaos = true;
    proc.child.kill('SIGKILL');
    await proc.exited;
    this.processes = this.processes.filter((p) => p !== proc);
    if (this.balancer) this.balancer.upstreams = this.balancer.upstreams.filter((port) => port !== proc.port);
  }

  async start() {
    await this.add('message-service');
    await this.add('message-service');
    await this.add('presence-service');
    const port = await testing.freePort();
    this.publicUrl = `http://127.0.0.1:${port}`;
    this.api = await this.add('api-gateway', { PORT: String(port) });
    const a = await this.add('realtime-gateway');
    const b = await this.add('realtime-gateway');
    this.balancer = await testing.startTcpBalancer([a.port, b.port]);
  }

  async stop() {
    await this.balancer?.close().catch(() => undefined);
    await Promise.allSettled(
      this.processes.map(async (p) => {
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 8000);
        await p.stop('SIGTERM');
        clearTimeout(timer);
      }),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Readiness: every process' /health/ready, polled all the time

class ReadinessWatch {
  constructor(stack) {
    this.stack = stack;
    this.samples = []; // { at, name, ok, detail }
    this.running = true;
    this.loop = this.run();
  }

  async run() {
    while (this.running) {
      const at = Date.now();
      await Promise.all(
        this.stack.processes.map(async (p) => {
          const name = `${p.app}:${p.port}`;
          try {
            const res = await fetch(`${p.url}/health/ready`, { signal: AbortSignal.timeout(3000) });
            const body = await res.text();
            this.samples.push({ at, name, app: p.app, ok: res.status === 200, detail: res.status === 200 ? '' : failedChecks(body) });
          } catch (err) {
            // A killed process does not answer: that is the fault, not a readiness report.
            if (!p.killedByChaos && p.child.exitCode === null && p.child.signalCode === null) this.samples.push({ at, name, app: p.app, ok: false, detail: 'no answer' });
          }
        }),
      );
      await sleep(200);
    }
  }

  allReady() {
    const latest = new Map();
    for (const s of this.samples) latest.set(s.name, s);
    const live = new Set(this.stack.processes.map((p) => `${p.app}:${p.port}`));
    return [...live].every((name) => latest.get(name)?.ok === true);
  }

  /** Endpoints that answered not-ready between two instants, with the failing checks. */
  reportedBetween(from, to) {
    const out = new Map();
    for (const s of this.samples) {
      if (s.at < from || s.at > to || s.ok) continue;
      const key = `${s.app} (${s.detail || 'not ready'})`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return [...out.keys()];
  }

  async stop() {
    this.running = false;
    await this.loop;
  }
}

function failedChecks(body) {
  try {
    const parsed = JSON.parse(body);
    const down = Object.entries(parsed.error ?? parsed.details ?? {})
      .filter(([, v]) => v?.status !== 'up')
      .map(([k]) => k);
    return down.length ? `${down.join(', ')} down` : 'not ready';
  } catch {
    return 'not ready';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Load: SDK clients sending with idempotency keys, recording every ack and every received message

class LoadClient {
  constructor(name, channelSid, token, url) {
    this.name = name;
    this.channelSid = channelSid;
    this.token = token;
    this.url = url;
    this.sends = []; // { body, sentAt, ackAt?, index?, error? }
    this.received = []; // { at, channel, index, body }
    this.states = [];
    this.running = false;
  }

  async connect() {
    this.client = await Client.create(this.token, { url: this.url, commandTimeout: 5000, backoff: { initialMs: 100, maxMs: 2000 } });
    this.client.on('messageAdded', (m) => this.received.push({ at: Date.now(), channel: m.channel.sid, index: m.index, body: m.body }));
    this.client.on('connectionStateChanged', (state) => this.states.push({ at: Date.now(), state }));
    this.channel = await this.client.getChannelBySid(this.channelSid);
  }

  start() {
    this.running = true;
    this.loop = (async () => {
      let seq = 0;
      while (this.running) {
        const send = { body: `${this.name}#${seq++}`, sentAt: Date.now() };
        this.sends.push(send);
        try {
          send.index = await this.channel.sendMessage(send.body);
          send.ackAt = Date.now();
        } catch (err) {
          send.error = `${err?.code ?? ''} ${err?.message ?? err}`.trim();
          send.failedAt = Date.now();
        }
        await sleep(CONFIG.sendIntervalMs);
      }
    })();
  }

  async stop() {
    this.running = false;
    await this.loop;
  }

  /** The first send started at or after `since` that was acknowledged, if any. */
  ackedSince(since) {
    return this.sends.find((s) => s.sentAt >= since && s.ackAt !== undefined);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Faults

function faults(stack, infra) {
  const killOne = (app) => async () => {
    const [victim] = stack.running(app);
    if (!victim) throw new Error(`no running ${app} to kill`);
    await stack.kill(victim);
    return {
      restoredAt: Date.now(),
      replace: async () => stack.add(app),
    };
  };
  const restart = (stop, start) => async () => {
    await stop();
    await sleep(CONFIG.holdDownMs);
    await start();
    return { restoredAt: Date.now() };
  };
  return [
    { name: 'kill -9 one realtime-gateway', inject: killOne('realtime-gateway') },
    { name: 'kill -9 one message-service replica', inject: killOne('message-service') },
    { name: 'kill -9 the presence-service', inject: killOne('presence-service') },
    { name: 'restart Redis', inject: restart(() => infra.stopRedis(), () => infra.startRedis()) },
    { name: 'restart NATS', inject: restart(() => infra.stopNats(), () => infra.startNats()) },
    { name: 'restart Postgres', inject: restart(() => infra.stopPostgres('fast'), () => infra.startPostgres()) },
  ];
}

/** Milliseconds from `since` until REST reports every connected client online (Fetch User is_online), or null. */
async function presenceRestored(svc, clients, since) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const online = await Promise.all(clients.map((c) => svc.users(c.name).fetch().then((u) => u.isOnline === true, () => false)));
    if (online.every(Boolean)) return Date.now() - since;
    await sleep(250);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Verification

async function verify(infra, serviceSid, clients, phases) {
  const pg = new Pg({ connectionString: infra.urls.database });
  await pg.connect();
  let rows;
  try {
    rows = (await pg.query('SELECT channel_sid, "index", body, idempotency_key FROM messages WHERE service_sid = $1 ORDER BY channel_sid, "index"', [serviceSid])).rows;
  } finally {
    await pg.end();
  }
  const byBody = new Map();
  for (const r of rows) byBody.set(r.body, [...(byBody.get(r.body) ?? []), r]);
  const phaseOf = (at) => {
    let current = phases[0];
    for (const p of phases) if (p.injectedAt <= at) current = p;
    return current;
  };
  for (const p of phases) Object.assign(p, { sends: 0, acked: 0, failed: 0, lost: 0, duplicates: 0, outOfOrder: 0, undelivered: 0, duplicateDeliveries: 0, lostSamples: [], errors: new Map() });

  for (const c of clients) {
    for (const s of c.sends) {
      const p = phaseOf(s.sentAt);
      p.sends++;
      if (s.ackAt !== undefined) {
        p.acked++;
        const stored = byBody.get(s.body) ?? [];
        if (!stored.some((r) => r.index === s.index && r.channel_sid === c.channelSid)) {
          p.lost++;
          if (p.lostSamples.length < 5) p.lostSamples.push(`${s.body} acked with index ${s.index}, stored: ${JSON.stringify(stored.map((r) => r.index))}`);
        }
      } else if (s.error) {
        p.failed++;
        p.errors.set(s.error, (p.errors.get(s.error) ?? 0) + 1);
      }
    }
  }
  for (const [body, stored] of byBody) {
    if (stored.length > 1) {
      const send = clients.flatMap((c) => c.sends).find((s) => s.body === body);
      phaseOf(send?.sentAt ?? 0).duplicates += stored.length - 1;
    }
  }
  // Every client's received log: strictly increasing indexes per channel, each stored message of its channel once.
  for (const c of clients) {
    const seen = new Map();
    let last = -1;
    for (const r of c.received.filter((x) => x.channel === c.channelSid)) {
      if (seen.has(r.index)) phaseOf(r.at).duplicateDeliveries++;
      else if (r.index <= last) phaseOf(r.at).outOfOrder++;
      seen.set(r.index, r);
      last = Math.max(last, r.index);
    }
    for (const row of rows.filter((r) => r.channel_sid === c.channelSid)) {
      if (!seen.has(row.index)) {
        const send = clients.flatMap((x) => x.sends).find((s) => s.body === row.body);
        phaseOf(send?.sentAt ?? 0).undelivered++;
      }
    }
  }
  return { stored: rows.length };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

function table(phases) {
  const head =
    '| fault | sends | acked | not acked (errors) | acked lost | duplicates | out of order | undelivered | recovery | all users online again | readiness that reported it |\n' +
    '|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|';
  const lines = phases.map((p) => {
    const errors = [...p.errors.entries()].map(([e, n]) => `${n}× ${e}`).join('; ');
    const recovery = p.name === 'steady load (baseline)' ? '—' : p.recoveryMs === null ? `**not within ${CONFIG.recoveryTimeoutMs / 1000} s**` : `${(p.recoveryMs / 1000).toFixed(1)} s`;
    const presence = p.presenceMs === undefined ? '—' : p.presenceMs === null ? '**no (20 s)**' : `${(p.presenceMs / 1000).toFixed(1)} s`;
    return `| ${p.name} | ${p.sends} | ${p.acked} | ${p.failed}${errors ? ` (${errors})` : ''} | ${p.lost} | ${p.duplicates} | ${p.outOfOrder + p.duplicateDeliveries} | ${p.undelivered} | ${recovery} | ${presence} | ${p.readiness?.join('; ') || '—'} |`;
  });
  return [head, ...lines].join('\n');
}

function writeDoc(report) {
  const begin = '<!-- chaos:begin -->';
  const end = '<!-- chaos:end -->';
  const generated = [
    begin,
    `Last run: ${report.date} — ${report.clients} SDK clients (2 channels), one send each every ${report.sendIntervalMs} ms, message-service ×2, realtime-gateway ×2 behind a TCP balancer, presence-service, api-gateway; restarted dependencies held down ${report.holdDownMs} ms. ${report.stored} messages stored in all.`,
    '',
    report.table,
    '',
    `Presence after the last recovery: ${report.presence}.`,
    end,
  ].join('\n');
  let doc;
  try {
    doc = readFileSync(DOC, 'utf8');
  } catch {
    doc = `# Resilience\n\n${begin}\n${end}\n`;
  }
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + generated + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${generated}\n`;
  writeFileSync(DOC, doc);
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  mkdirSync(CHAOS_DIR, { recursive: true });
  const infra = new Infra(CHAOS_DIR);
  const stack = new Stack(infra);
  let watch = null;
  const clients = [];
  let exitCode = 1;
  const onSignal = async (signal) => {
    log(`${signal}: tearing down`);
    infra.killSync();
    for (const p of stack.processes) p.child.kill('SIGKILL');
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    for (const p of stack.processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    infra.killSync();
  });

  try {
    log(`throwaway infrastructure: postgres :${PORTS.postgres}, redis :${PORTS.redis}, nats :${PORTS.nats} (data in ${CHAOS_DIR})`);
    await infra.startAll();
    const admin = new Pg({ connectionString: infra.urls.admin });
    await admin.connect();
    await admin.query('CREATE DATABASE parley');
    await admin.end();

    await stack.start();
    log(`stack up: ${stack.processes.map((p) => `${p.app}:${p.port}`).join(', ')}; balancer :${stack.balancer.port}`);
    watch = new ReadinessWatch(stack);

    const rest = testing.twilioClient(stack.api.url, stack.accountSid, stack.authToken);
    const key = await rest.newKeys.create({ friendlyName: 'chaos' });
    const service = await rest.chat.v2.services.create({ friendlyName: 'chaos' });
    await rest.chat.v2.services(service.sid).update({ reachabilityEnabled: true });
    const svc = rest.chat.v2.services(service.sid);
    const channels = [await svc.channels.create({ uniqueName: 'chaos-a' }), await svc.channels.create({ uniqueName: 'chaos-b' })];
    for (let i = 0; i < CONFIG.clients; i++) {
      const name = `client${i}`;
      const channel = channels[i % channels.length];
      await svc.channels(channel.sid).members.create({ identity: name });
      const token = new twilio.jwt.AccessToken(stack.accountSid, key.sid, key.secret, { identity: name, ttl: 3 * 3600 });
      token.addGrant(new twilio.jwt.AccessToken.ChatGrant({ serviceSid: service.sid }));
      clients.push(new LoadClient(name, channel.sid, token.toJwt(), stack.balancer.url));
    }
    await Promise.all(clients.map((c) => c.connect()));
    log(`${clients.length} SDK clients connected; load starts`);
    for (const c of clients) c.start();

    const phases = [{ name: 'steady load (baseline)', injectedAt: Date.now(), recoveryMs: 0 }];
    await sleep(CONFIG.steadyMs);

    for (const fault of faults(stack, infra)) {
      const phase = { name: fault.name, injectedAt: Date.now(), recoveryMs: null };
      phases.push(phase);
      log(`inject: ${fault.name}`);
      const { restoredAt, replace } = await fault.inject();
      phase.restoredAt = restoredAt;
      const deadline = phase.injectedAt + CONFIG.recoveryTimeoutMs;
      while (Date.now() < deadline) {
        const everyClient = clients.every((c) => c.ackedSince(restoredAt));
        if (everyClient && watch.allReady()) {
          const lastAck = Math.max(...clients.map((c) => c.ackedSince(restoredAt).ackAt));
          phase.recoveryMs = lastAck - phase.injectedAt;
          break;
        }
        await sleep(100);
      }
      phase.recoveredAt = Date.now();
      phase.readiness = watch.reportedBetween(phase.injectedAt, phase.recoveredAt);
      // An orchestrator replaces a killed replica; done once messaging recovered on the survivors (presence-service
      // has no survivor: its users come back online when the replacement has rebuilt them from the live sockets).
      if (replace) {
        const fresh = await replace();
        log(`  replaced by ${fresh.app}:${fresh.port}`);
      }
      phase.presenceMs = await presenceRestored(svc, clients, phase.injectedAt);
      log(`  ${phase.recoveryMs === null ? 'NOT recovered' : `recovered in ${(phase.recoveryMs / 1000).toFixed(1)} s`}; readiness reported: ${phase.readiness.join('; ') || 'nothing'}; presence ${phase.presenceMs === null ? 'NOT restored' : `all online at +${(phase.presenceMs / 1000).toFixed(1)} s`}`);
      await sleep(CONFIG.steadyMs);
    }

    log('stopping the load; waiting for every client to hold every stored message of its channel');
    await Promise.all(clients.map((c) => c.stop()));
    const pg = new Pg({ connectionString: infra.urls.database });
    await pg.connect();
    const counts = new Map((await pg.query('SELECT channel_sid, count(*)::int AS n FROM messages GROUP BY channel_sid')).rows.map((r) => [r.channel_sid, r.n]));
    await pg.end();
    const settleDeadline = Date.now() + 20_000;
    while (Date.now() < settleDeadline && !clients.every((c) => new Set(c.received.filter((r) => r.channel === c.channelSid).map((r) => r.index)).size >= (counts.get(c.channelSid) ?? 0))) {
      await sleep(200);
    }

    // Presence rebuilt: every connected client online again after all of that.
    let presence = 'not checked';
    try {
      const online = await Promise.all(clients.map(async (c) => (await svc.users(c.name).fetch()).isOnline));
      presence = `${online.filter((x) => x === true).length}/${clients.length} connected users reported online (REST Fetch User is_online)`;
    } catch (err) {
      presence = `could not be read: ${err.message}`;
    }

    const { stored } = await verify(infra, service.sid, clients, phases);
    const report = {
      date: new Date().toISOString(),
      clients: clients.length,
      sendIntervalMs: CONFIG.sendIntervalMs,
      holdDownMs: CONFIG.holdDownMs,
      stored,
      presence,
      phases: phases.map((p) => ({ ...p, errors: Object.fromEntries(p.errors) })),
    };
    report.table = table(phases);
    writeFileSync(join(CHAOS_DIR, 'report.json'), JSON.stringify(report, null, 2));
    if (CONFIG.writeDocs) writeDoc(report);
    process.stdout.write(`\n${report.table}\n\nPresence: ${presence}\n`);
    const failed = phases.filter((p) => p.lost > 0 || p.duplicates > 0 || p.outOfOrder > 0 || p.duplicateDeliveries > 0 || p.recoveryMs === null || p.presenceMs === null);
    for (const p of phases) for (const s of p.lostSamples) log(`lost in "${p.name}": ${s}`);
    log(failed.length === 0 ? 'PASS: no acknowledged message lost, none duplicated, none out of order; every fault recovered' : `FAIL: ${failed.map((p) => p.name).join(', ')}`);
    exitCode = failed.length === 0 ? 0 : 1;
  } catch (err) {
    log(`chaos run failed: ${err?.stack ?? err}`);
  } finally {
    await Promise.allSettled(clients.map((c) => c.client?.shutdown()));
    await watch?.stop();
    await stack.stop();
    await infra.stopAll();
    log('torn down');
  }
  process.exit(exitCode);
}

await main();
