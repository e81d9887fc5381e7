// Runs one scenario body against Parley and against the baseline, one after the other (never both at once: they
// share the machine's two cores), each with its own load-generator fleet.
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { startBaseline } from './baseline.mjs';
import { ADMIN_URL, cpuSeconds, histogramMean, progress } from './common.mjs';
import { startFleet } from './fleet.mjs';
import { startParley, tokenConfig } from './parley.mjs';

export const TARGETS = ['baseline', 'parley'];

/**
 * `body({ target, system, fleet })` against each target. `system` is the started Parley stack or baseline pair
 * (both have `gateways[]` with `url`, `port`, `pid`, `kill()`); the fleet has `workers` load generators.
 */
export async function onBoth({ label, workers, parley: parleyOptions = {}, baseline: baselineOptions = {}, only }, body) {
  const results = {};
  for (const target of only ?? TARGETS) {
    progress(` ${label}: ${target}`);
    const system = target === 'parley' ? await startParley({ label, ...parleyOptions }) : await startBaseline(baselineOptions);
    let fleet;
    try {
      fleet = await startFleet({ workers, target, tokens: target === 'parley' ? tokenConfig(system) : null });
      results[target] = await body({ target, system, fleet });
      if (target === 'parley' && results[target]) results[target].service_means = await parleyMeans(system).catch((err) => ({ error: String(err) }));
    } finally {
      await fleet?.close().catch(() => undefined);
      await system.stop().catch((err) => progress(`  (stopping ${target}: ${err.message})`));
    }
  }
  return results;
}

/** Client specs: `count` clients, identities `${prefix}-${i}`, alternating over `urls`. */
export function specs(count, prefix, urls, channelsOf = () => []) {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, identity: `${prefix}-${i}`, url: urls[i % urls.length], channels: channelsOf(i) }));
}

/** Where a send's time goes, from the services' own histograms (means over the whole scenario, set-up included). */
export async function parleyMeans(system) {
  const scrape = async (app) =>
    (await Promise.all(system.processes.filter((p) => p.app === app && p.alive).map((p) => fetch(`${p.url}/metrics`).then((r) => r.text())))).join('\n');
  const [gateway, messages] = [await scrape('realtime-gateway'), await scrape('message-service')];
  const ms = (v) => (v === null ? null : Math.round(v * 1e5) / 100);
  return {
    gateway_nats_message_create_ms: ms(histogramMean(gateway, 'parley_nats_request_duration_seconds', { subject: 'chat.v1.cmd.message.create' })),
    gateway_nats_session_open_ms: ms(histogramMean(gateway, 'parley_nats_request_duration_seconds', { subject: 'chat.v1.cmd.session.open' })),
    send_batch_size: histogramMean(messages, 'parley_message_send_batch_size'),
    send_batch_write_ms: ms(histogramMean(messages, 'parley_message_send_batch_seconds')),
  };
}

function pidsByComm(name) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * CPU seconds (user + system) per process group over a window: the services by app, this database's Postgres
 * backends and Postgres' own workers, redis-server and nats-server (shared with anything else using them, so an
 * upper bound), and the load generators. `perOp(n)` answers microseconds per operation.
 */
export function cpuMeter(system, fleet, extra = {}) {
  let pids = {};
  let before = new Map();
  let used = {};
  // Per process, so one that exits (or a Postgres backend that closes) in the window counts 0, not minus its total.
  const delta = (list) => list.reduce((s, p) => {
    const after = cpuSeconds(p);
    return s + (after > 0 ? Math.max(0, after - (before.get(p) ?? after)) : 0);
  }, 0);
  return {
    async start() {
      const groups = {};
      for (const p of system.processes.filter((x) => x.alive)) (groups[p.app] ??= []).push(p.pid);
      if (system.databaseName) {
        const admin = new pg.Client({ connectionString: ADMIN_URL });
        await admin.connect();
        groups.postgres = (await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 OR datname IS NULL', [system.databaseName])).rows.map((r) => r.pid);
        await admin.end();
      }
      groups['redis-server'] = pidsByComm('redis-server');
      groups['nats-server'] = system.databaseName ? pidsByComm('nats-server') : [];
      groups['load generators'] = fleet.pids();
      Object.assign(groups, extra);
      pids = groups;
      before = new Map(Object.values(pids).flat().map((p) => [p, cpuSeconds(p)]));
    },
    end() {
      used = Object.fromEntries(Object.entries(pids).map(([k, l]) => [k, delta(l)]));
      return used;
    },
    perOp(n) {
      return Object.fromEntries(Object.entries(used).filter(([, s]) => s > 0).map(([k, s]) => [k, n ? Math.round((s * 1e6) / n) : null]));
    },
  };
}
