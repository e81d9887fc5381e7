#!/usr/bin/env node
// `npm run bench:rest`: REST message creates through the real stack, against the same rows written directly.
//
//   1. a fresh database (message-service migrates it itself), message-service ×N and api-gateway as processes;
//   2. a Service over REST and a Channel (over REST when the Channels resource answers, else as a row);
//   3. CreateMessage over HTTP from CONCURRENCY keep-alive clients, form bodies as the twilio helper sends them,
//      WARMUP_S of warm-up then DURATION_S measured: creates/s, p50/p99 latency, CPU per create of each process;
//   4. correctness: every 201's index is unique and the channel's messages_count equals the number of 201s;
//   5. the baseline: the same rows inserted with `pg` at CONCURRENCY connections in the same transaction shape
//      (BEGIN; UPDATE channels … RETURNING; INSERT messages; COMMIT), and the product's own one-statement form;
//   6. prints both and the ratio, writes bench/results/rest.json and the REST section of docs/benchmarks.md.
//
// Settings (environment): BENCH_DURATION_S=15 BENCH_WARMUP_S=3 BENCH_CONCURRENCY=50 BENCH_MESSAGE_SERVICES=1 BENCH_API_GATEWAYS=1
// BENCH_POOL_SIZE=20 (per message-service) BENCH_LOG_LEVEL=info BENCH_CPU_PROF=1 (writes .cpuprofile files of the
// services to tmp/bench-prof/) BENCH_ADMIN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
// BENCH_NATS_URL=nats://127.0.0.1:4222 BENCH_WRITE_DOCS=0 (skip docs/benchmarks.md). Run `node tools/build.mjs` first.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import {
  ADMIN_URL,
  cpuSeconds,
  freePort,
  env,
  histogramMean,
  httpClient,
  machine,
  NATS_URL,
  num,
  ROOT,
  round,
  sleep,
  startService,
} from './lib/common.mjs';

const CONFIG = {
  durationS: num('BENCH_DURATION_S', 15),
  warmupS: num('BENCH_WARMUP_S', 3),
  concurrency: num('BENCH_CONCURRENCY', 50),
  messageServices: num('BENCH_MESSAGE_SERVICES', 1),
  apiGateways: num('BENCH_API_GATEWAYS', 1),
  poolSize: num('BENCH_POOL_SIZE', 20),
  logLevel: env.BENCH_LOG_LEVEL ?? 'info',
  cpuProfile: env.BENCH_CPU_PROF === '1',
  listDurationS: num('BENCH_LIST_DURATION_S', 10),
  listChannels: num('BENCH_LIST_CHANNELS', 50),
};
const RESULTS = env.BENCH_RESULTS_FILE ?? join(ROOT, 'bench', 'results', 'rest.json');
const DOC = join(ROOT, 'docs', 'benchmarks.md');

const log = (...args) => console.log(...args);

// ---------------------------------------------------------------------------------------------------------------
// Processes




/** The local nats-server (shared with whatever else uses it: its CPU is an upper bound). */
function natsServerPids() {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'nats-server') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}


/** This database's backends and Postgres' own workers (WAL writer, checkpointer…), not other databases' backends. */
async function postgresPids(admin, database) {
  const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 OR datname IS NULL', [database]);
  return rows.map((r) => r.pid);
}

/**
 * CPU seconds of groups of processes between `start()` and `end()`. Groups are functions, read at start: Postgres
 * backends exist only once the pools have filled during the warm-up.
 */
function cpuMeter(groups) {
  let pids = {};
  let before = {};
  const cpu = {};
  const sum = (list) => list.reduce((s, p) => s + cpuSeconds(p), 0);
  return {
    async start() {
      for (const [name, pidsOf] of Object.entries(groups)) pids[name] = await pidsOf();
      before = Object.fromEntries(Object.entries(pids).map(([name, list]) => [name, sum(list)]));
    },
    end() {
      for (const [name, list] of Object.entries(pids)) cpu[name] = sum(list) - before[name];
    },
    /** Microseconds of CPU per operation of the window. */
    perOperation(count) {
      return Object.fromEntries(Object.entries(cpu).map(([name, s]) => [name, count ? Math.round((s * 1e6) / count) : null]));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Load

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Runs `once()` from `concurrency` loops for warm-up + duration. Throughput counts the operations that started
 * and finished inside the measured window; every outcome (warm-up included) goes to `onResult` for the checks.
 */
async function drive({ concurrency, warmupS, durationS, once, onWindow = {} }) {
  const started = performance.now();
  const measureFrom = started + warmupS * 1000;
  const measureTo = measureFrom + durationS * 1000;
  // CPU is read at the edges of the measured window, so warm-up (JIT, pools filling) stays out of it.
  const windowStart = setTimeout(() => void onWindow.start?.(), measureFrom - performance.now());
  const windowEnd = setTimeout(() => void onWindow.end?.(), measureTo - performance.now());
  const latencies = [];
  let measured = 0;
  const errors = new Map();
  let total = 0;

  const loop = async () => {
    while (performance.now() < measureTo) {
      const t0 = performance.now();
      const outcome = await once();
      const t1 = performance.now();
      total++;
      if (outcome !== true) errors.set(outcome, (errors.get(outcome) ?? 0) + 1);
      if (t0 >= measureFrom && t1 <= measureTo && outcome === true) {
        measured++;
        latencies.push(t1 - t0);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  clearTimeout(windowStart);
  clearTimeout(windowEnd);
  latencies.sort((a, b) => a - b);
  return {
    creates_per_s: round(measured / durationS),
    per_s: round(measured / durationS),
    p50_ms: round(percentile(latencies, 50), 2),
    p99_ms: round(percentile(latencies, 99), 2),
    measured,
    total,
    errors: Object.fromEntries(errors),
  };
}



// ---------------------------------------------------------------------------------------------------------------
// The direct baseline: the same rows, with pg.

const DIRECT_UPDATE = `
  UPDATE channels
     SET next_message_index = next_message_index + 1, messages_count = messages_count + 1,
         last_message_sid = $1, last_message_index = next_message_index, last_message_date = $2
   WHERE sid = $3 AND service_sid = $4 AND account_sid = $5
   RETURNING next_message_index - 1 AS index`;
const DIRECT_INSERT = `
  INSERT INTO messages (sid, account_sid, service_sid, channel_sid, "index", author, body, attributes, was_edited,
                        last_updated_by, "type", media, to_sid, idempotency_key, date_created, date_updated)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false, null, 'text', null, $4, null, $9, $9)`;
// The product's form (apps/message-service/src/messages/messages.repository.ts): both in one statement.
const DIRECT_ONE_STATEMENT = `
  WITH ch AS (
    UPDATE channels
       SET next_message_index = next_message_index + 1, messages_count = messages_count + 1,
           last_message_sid = $1::varchar, last_message_index = next_message_index, last_message_date = $8::timestamptz
     WHERE account_sid = $2 AND service_sid = $3 AND sid = $4
     RETURNING sid, next_message_index - 1 AS index)
  INSERT INTO messages (sid, account_sid, service_sid, channel_sid, "index", author, body, attributes, was_edited,
                        last_updated_by, "type", media, to_sid, idempotency_key, date_created, date_updated)
  SELECT $1::varchar, $2::varchar, $3::varchar, ch.sid, ch.index, $5::text, $6::text, $7::text, false, null, 'text', null,
         ch.sid, null, $8::timestamptz, $8::timestamptz FROM ch
  RETURNING "index"`;

async function directBaseline({ databaseUrl, accountSid, serviceSid, channelSid, admin, databaseName, shape }) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CONFIG.concurrency });
  const clients = await Promise.all(Array.from({ length: CONFIG.concurrency }, () => pool.connect()));
  const free = [...clients];
  const indexes = [];
  let n = 0;
  const once = async () => {
    const client = free.pop();
    const sid = `IM${randomBytes(16).toString('hex')}`;
    const now = new Date().toISOString();
    const i = n++;
    try {
      if (shape === 'transaction') {
        await client.query('BEGIN');
        const { rows } = await client.query(DIRECT_UPDATE, [sid, now, channelSid, serviceSid, accountSid]);
        await client.query(DIRECT_INSERT, [sid, accountSid, serviceSid, channelSid, rows[0].index, 'bench', `hello from the direct baseline ${i}`, `{"n":${i}}`, now]);
        await client.query('COMMIT');
        indexes.push(rows[0].index);
      } else {
        const { rows } = await client.query(DIRECT_ONE_STATEMENT, [sid, accountSid, serviceSid, channelSid, 'bench', `hello from the direct baseline ${i}`, `{"n":${i}}`, now]);
        indexes.push(rows[0].index);
      }
      return true;
    } catch (err) {
      if (shape === 'transaction') await client.query('ROLLBACK').catch(() => undefined);
      return `error: ${err.message}`;
    } finally {
      free.push(client);
    }
  };
  const meter = cpuMeter({ postgres: () => postgresPids(admin, databaseName), bench: () => [process.pid] });
  const result = await drive({ concurrency: CONFIG.concurrency, warmupS: CONFIG.warmupS, durationS: CONFIG.durationS, once, onWindow: meter });
  for (const c of clients) c.release();
  pool.on('error', () => undefined);
  await pool.end();
  return { ...result, cpu_us_per_create: meter.perOperation(result.measured), indexes };
}

/** The channel page read directly: the same rows, keyset-ordered by sid, from CONCURRENCY connections. */
async function directList({ databaseUrl, accountSid, serviceSid }) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CONFIG.concurrency });
  const clients = await Promise.all(Array.from({ length: CONFIG.concurrency }, () => pool.connect()));
  const free = [...clients];
  const once = async () => {
    const client = free.pop();
    try {
      const { rows } = await client.query('SELECT * FROM channels WHERE account_sid = $1 AND service_sid = $2 ORDER BY sid LIMIT $3', [accountSid, serviceSid, CONFIG.listChannels + 1]);
      return rows.length >= CONFIG.listChannels ? true : 'short page';
    } catch (err) {
      return `error: ${err.message}`;
    } finally {
      free.push(client);
    }
  };
  const result = await drive({ concurrency: CONFIG.concurrency, warmupS: CONFIG.warmupS, durationS: CONFIG.listDurationS, once });
  for (const c of clients) c.release();
  pool.on('error', () => undefined);
  await pool.end();
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Where the time goes: the services' own Prometheus histograms (whole run, warm-up included)


async function breakdown(processes) {
  const scrape = async (app) =>
    (await Promise.all(processes.filter((p) => p.app === app).map((p) => fetch(`${p.url}/metrics`).then((r) => r.text())))).join('\n');
  const [gateway, messages] = [await scrape('api-gateway'), await scrape('message-service')];
  const ms = (v) => (v === null ? null : round(v * 1000, 2));
  return {
    gateway_http_ms: ms(histogramMean(gateway, 'parley_http_request_duration_seconds', { method: 'POST' })),
    gateway_nats_create_ms: ms(histogramMean(gateway, 'parley_nats_request_duration_seconds', { subject: 'chat.v1.cmd.message.create', outcome: 'ok' })),
    send_batch_size: round(histogramMean(messages, 'parley_message_send_batch_size'), 1),
    send_batch_write_ms: ms(histogramMean(messages, 'parley_message_send_batch_seconds')),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Checks and reports

async function checkChannel(admin, databaseUrl, channelSid, created, indexes) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT c.messages_count, c.next_message_index, (SELECT count(*)::int FROM messages m WHERE m.channel_sid = c.sid) AS rows
         FROM channels c WHERE c.sid = $1`,
      [channelSid],
    );
    const row = rows[0];
    const unique = new Set(indexes).size;
    const checks = {
      creates_201: created,
      indexes_unique: unique === indexes.length,
      messages_count: row.messages_count,
      messages_count_equals_201s: row.messages_count === created,
      rows_equal_201s: row.rows === created,
      next_message_index: row.next_message_index,
    };
    checks.ok = checks.indexes_unique && checks.messages_count_equals_201s && checks.rows_equal_201s && indexes.length === created;
    return checks;
  } finally {
    await db.end();
  }
}


function docSection(report) {
  const r = report.rest;
  const b = report.baseline;
  const one = report.baseline_one_statement;
  const cpuRow = (label, cpu) =>
    `| ${label} | ${Object.entries(cpu)
      .map(([k, v]) => `${k} ${v} µs`)
      .join(', ')} |`;
  return `<!-- bench:rest:start (written by bench/rest.mjs; edit the text around it, not inside) -->
### Latest run

${report.date} — ${report.machine.cpus} × ${report.machine.cpu_model}, ${report.machine.memory_gb} GB, Node ${report.machine.node};
${report.config.concurrency} concurrent clients, ${report.config.warmupS} s warm-up + ${report.config.durationS} s measured;
api-gateway ×${report.config.apiGateways}, message-service ×${report.config.messageServices} (pool ${report.config.poolSize}), LOG_LEVEL=${report.config.logLevel};
channel created via ${report.channel_created_via};
load average before the run ${report.load_average_before}.

| path | creates/s | p50 | p99 |
|---|---:|---:|---:|
| REST (twilio-style form POST → api-gateway → NATS → message-service → Postgres) | **${r.creates_per_s}** | ${r.p50_ms} ms | ${r.p99_ms} ms |
| direct \`pg\`, same transaction shape (BEGIN; UPDATE … RETURNING; INSERT; COMMIT) | ${b.creates_per_s} | ${b.p50_ms} ms | ${b.p99_ms} ms |
| direct \`pg\`, the product's one-statement form | ${one.creates_per_s} | ${one.p50_ms} ms | ${one.p99_ms} ms |

Channel list (\`GET /v2/Services/{IS}/Channels?PageSize=${report.config.listChannels}\`, a full page of ${report.config.listChannels} channels), ${report.config.concurrency} concurrent clients, ${report.config.warmupS} s warm-up + ${report.config.listDurationS} s measured:

| path | req/s | p50 | p99 |
|---|---:|---:|---:|
| REST (api-gateway → NATS → message-service → Postgres) | **${report.list.per_s}** | ${report.list.p50_ms} ms | ${report.list.p99_ms} ms |
| direct \`pg\`, the same page (\`SELECT … ORDER BY sid LIMIT ${report.config.listChannels + 1}\`) | ${report.list_baseline.per_s} | ${report.list_baseline.p50_ms} ms | ${report.list_baseline.p99_ms} ms |

Ratio REST / direct (list): ${report.list_ratio}×; every page held all ${report.config.listChannels} channels: ${report.list.pages_with_wrong_count === 0 && Object.keys(report.list.errors).length === 0}.

Ratio REST / direct (same shape): **${report.ratio}×** (target ≥ 0.5×); REST / direct (one statement): ${report.ratio_one_statement}×.
Target ≥ 1,500 creates/s: **${r.creates_per_s >= 1500 ? 'met' : 'not met'}**.

CPU per create (user + system over the measured window; nats-server is shared with anything else using it):

| path | CPU per create |
|---|---|
${cpuRow('REST', r.cpu_us_per_create)}
${cpuRow('direct, same shape', b.cpu_us_per_create)}

Means over the whole REST run (the services' own histograms): HTTP request in the gateway ${r.breakdown_mean?.gateway_http_ms} ms,
of which the NATS round trip of \`chat.v1.cmd.message.create\` ${r.breakdown_mean?.gateway_nats_create_ms} ms; in message-service
${r.breakdown_mean?.send_batch_size} sends per statement, ${r.breakdown_mean?.send_batch_write_ms} ms per statement (commit included).

Correctness: ${report.correctness.creates_201} creates answered 201, indexes unique: ${report.correctness.indexes_unique},
messages_count = ${report.correctness.messages_count} (${report.correctness.messages_count_equals_201s ? 'equals' : 'DIFFERS FROM'} the 201s),
errors: ${JSON.stringify(r.errors)}.
<!-- bench:rest:end -->`;
}

function writeDoc(report) {
  const section = docSection(report);
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const re = /<!-- bench:rest:start[\s\S]*?<!-- bench:rest:end -->/;
  if (re.test(doc)) doc = doc.replace(re, section);
  else doc = `${doc.trimEnd()}\n\n## REST: message creates (\`npm run bench:rest\`)\n\n${section}\n`;
  writeFileSync(DOC, doc);
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const id = randomBytes(4).toString('hex');
  const databaseName = `parley_bench_${id}`;
  const databaseUrl = (() => {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${databaseName}`;
    return url.toString();
  })();
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const secretKey = randomBytes(32).toString('hex');
  const common = {
    NATS_URL,
    NATS_SUBJECT_PREFIX: `bench_${id}`,
    PARLEY_ACCOUNT_SID: accountSid,
    PARLEY_AUTH_TOKEN: authToken,
    PARLEY_SECRET_KEY: secretKey,
    SHUTDOWN_TIMEOUT_MS: '10000',
  };

  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  const processes = [];
  const stopAll = async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
  };
  try {
    log(`bench:rest — database ${databaseName}, ${CONFIG.concurrency} clients, ${CONFIG.warmupS}+${CONFIG.durationS} s`);
    const loadBefore = os.loadavg()[0];
    // The numbers are only the product's when nothing else runs: say so when something does.
    if (loadBefore > 0.5 * os.cpus().length) log(`  warning: load average ${loadBefore.toFixed(2)} before the run; results will be low and noisy`);
    // One first: it migrates the fresh database (the others would wait on the advisory lock anyway).
    for (let i = 0; i < CONFIG.messageServices; i++) {
      processes.push(await startService('message-service', { ...common, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(CONFIG.poolSize) }));
    }
    const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    const gateways = [];
    for (let i = 0; i < CONFIG.apiGateways; i++) {
      const gatewayPort = await freePort();
      const gateway = await startService('api-gateway', {
        ...common,
        PORT: String(gatewayPort),
        PARLEY_PUBLIC_URL: `http://127.0.0.1:${gatewayPort}`,
        // The bench measures the create path, not the per-account rate limit (Twilio's 30/s by default).
        REST_RATE_LIMIT_PER_SECOND: '100000',
      });
      processes.push(gateway);
      gateways.push(httpClient(gateway.url, authorization, { maxSockets: CONFIG.concurrency * 2 }));
    }
    const [request] = gateways;
    const service = await request('POST', '/v2/Services', { FriendlyName: 'bench' });
    if (service.status !== 201) throw new Error(`CreateService answered ${service.status}: ${service.text}`);
    const serviceSid = JSON.parse(service.text).sid;

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const insertChannel = async (name) => {
      const sid = `CH${randomBytes(16).toString('hex')}`;
      await db.query(
        `INSERT INTO channels (sid, account_sid, service_sid, friendly_name, date_created, date_updated) VALUES ($1, $2, $3, $4, now(), now())`,
        [sid, accountSid, serviceSid, name],
      );
      return sid;
    };
    let channelSid;
    let channelVia = 'REST';
    const channel = await request('POST', `/v2/Services/${serviceSid}/Channels`, { FriendlyName: 'bench' });
    if (channel.status === 201) {
      channelSid = JSON.parse(channel.text).sid;
    } else {
      log(`  (CreateChannel answered ${channel.status}: the channel is inserted as a row)`);
      channelSid = await insertChannel('bench');
      channelVia = 'row';
    }

    // --- REST ---
    const path = `/v2/Services/${serviceSid}/Channels/${channelSid}/Messages`;
    const indexes = [];
    let created = 0;
    let sample = null;
    let n = 0;
    const once = async () => {
      const i = n++;
      const res = await gateways[i % gateways.length]('POST', path, { Body: `hello from the bench, message ${i}`, From: `user-${i % CONFIG.concurrency}`, Attributes: `{"n":${i}}` });
      if (res.status !== 201) {
        sample ??= res.text.slice(0, 300);
        return `HTTP ${res.status}`;
      }
      created++;
      // The index is all the check needs; a full JSON.parse would cost this process more than the rest.
      const m = /"index":(\d+)/.exec(res.text);
      indexes.push(m ? Number(m[1]) : -1);
      return true;
    };
    const servicePids = (app) => () => processes.filter((p) => p.app === app).map((p) => p.pid);
    log('  REST creates…');
    const meter = cpuMeter({
      'api-gateway': servicePids('api-gateway'),
      'message-service': servicePids('message-service'),
      postgres: () => postgresPids(admin, databaseName),
      'nats-server': natsServerPids,
      bench: () => [process.pid],
    });
    const rest = await drive({ concurrency: CONFIG.concurrency, warmupS: CONFIG.warmupS, durationS: CONFIG.durationS, once, onWindow: meter });
    rest.cpu_us_per_create = meter.perOperation(rest.measured);
    if (sample) rest.error_sample = sample;
    rest.breakdown_mean = await breakdown(processes).catch((err) => ({ error: String(err) }));
    const correctness = await checkChannel(admin, databaseUrl, channelSid, created, indexes);

    // --- REST channel list: a page of LIST_CHANNELS channels, from the same number of concurrent clients ---
    const listPath = `/v2/Services/${serviceSid}/Channels?PageSize=${CONFIG.listChannels}`;
    for (let i = 1; i < CONFIG.listChannels; i++) {
      const res = await request('POST', `/v2/Services/${serviceSid}/Channels`, { FriendlyName: `list ${i}` });
      if (res.status !== 201) await insertChannel(`list ${i}`);
    }
    let listSample = null;
    let listWrong = 0;
    log('  REST channel list…');
    let m = 0;
    const listMeter = cpuMeter({ 'api-gateway': servicePids('api-gateway'), 'message-service': servicePids('message-service'), postgres: () => postgresPids(admin, databaseName) });
    const list = await drive({
      concurrency: CONFIG.concurrency,
      warmupS: CONFIG.warmupS,
      durationS: CONFIG.listDurationS,
      onWindow: listMeter,
      once: async () => {
        const res = await gateways[m++ % gateways.length]('GET', listPath);
        if (res.status !== 200) {
          listSample ??= res.text.slice(0, 300);
          return `HTTP ${res.status}`;
        }
        // Every page holds every channel (counted without parsing the whole body).
        if ((res.text.match(/"unique_name":/g) ?? []).length !== CONFIG.listChannels) listWrong++;
        return true;
      },
    });
    list.cpu_us_per_request = listMeter.perOperation(list.measured);
    list.pages_with_wrong_count = listWrong;
    if (listSample) list.error_sample = listSample;
    await stopAll();

    // --- direct baselines (the services are stopped: the machine is Postgres' and this process's alone) ---
    log('  direct baseline (same transaction shape)…');
    const directChannel = await insertChannel('direct');
    const baseline = await directBaseline({ databaseUrl, accountSid, serviceSid, channelSid: directChannel, admin, databaseName, shape: 'transaction' });
    const baselineCheck = await checkChannel(admin, databaseUrl, directChannel, baseline.indexes.length, baseline.indexes);
    log('  direct baseline (one statement)…');
    const oneChannel = await insertChannel('direct-one');
    const oneStatement = await directBaseline({ databaseUrl, accountSid, serviceSid, channelSid: oneChannel, admin, databaseName, shape: 'statement' });
    log('  direct baseline (channel list)…');
    const listDirect = await directList({ databaseUrl, accountSid, serviceSid });
    await db.end();

    delete baseline.indexes;
    delete oneStatement.indexes;
    const report = {
      date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      machine: machine(),
      config: CONFIG,
      rest,
      baseline,
      baseline_one_statement: oneStatement,
      list,
      list_baseline: listDirect,
      list_ratio: round(list.per_s / listDirect.per_s, 2),
      ratio: round(rest.creates_per_s / baseline.creates_per_s, 2),
      ratio_one_statement: round(rest.creates_per_s / oneStatement.creates_per_s, 2),
      targets: { creates_per_s: 1500, ratio: 0.5 },
      load_average_before: round(loadBefore, 2),
      channel_created_via: channelVia,
      correctness,
      baseline_correctness: baselineCheck,
    };
    report.targets.met = rest.creates_per_s >= 1500 && report.ratio >= 0.5 && correctness.ok;

    mkdirSync(dirname(RESULTS), { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
    if (env.BENCH_WRITE_DOCS !== '0') writeDoc(report);

    log('');
    log(`  REST      ${String(rest.creates_per_s).padStart(6)} creates/s   p50 ${rest.p50_ms} ms   p99 ${rest.p99_ms} ms   errors ${JSON.stringify(rest.errors)}`);
    log(`  direct    ${String(baseline.creates_per_s).padStart(6)} creates/s   p50 ${baseline.p50_ms} ms   p99 ${baseline.p99_ms} ms   (BEGIN; UPDATE; INSERT; COMMIT)`);
    log(`  direct-1  ${String(oneStatement.creates_per_s).padStart(6)} creates/s   p50 ${oneStatement.p50_ms} ms   p99 ${oneStatement.p99_ms} ms   (one statement)`);
    log(`  ratio     ${report.ratio}× (REST / direct), ${report.ratio_one_statement}× (REST / one statement)`);
    log(`  CPU µs per create: REST ${JSON.stringify(rest.cpu_us_per_create)}; direct ${JSON.stringify(baseline.cpu_us_per_create)}`);
    log(`  REST means: ${JSON.stringify(rest.breakdown_mean)}`);
    log(`  correctness: ${JSON.stringify(correctness)}`);
    log(`  targets (≥ 1500/s, ≥ 0.5×, correct): ${report.targets.met ? 'met' : 'NOT met'}`);
    log(`  wrote ${RESULTS}${env.BENCH_WRITE_DOCS !== '0' ? ` and ${DOC}` : ''}`);
    log(`  list      ${String(list.per_s).padStart(6)} req/s     p50 ${list.p50_ms} ms   p99 ${list.p99_ms} ms   errors ${JSON.stringify(list.errors)}, wrong pages ${listWrong}`);
    log(`  list-pg   ${String(listDirect.per_s).padStart(6)} pages/s   p50 ${listDirect.p50_ms} ms   p99 ${listDirect.p99_ms} ms   (direct SELECT of the same page)`);
    if (!correctness.ok || listWrong > 0 || Object.keys(list.errors).length) process.exitCode = 1;
  } finally {
    await stopAll().catch(() => undefined);
    if (env.BENCH_KEEP_DB !== '1') await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err?.stack ?? err);
  process.exit(1);
});
