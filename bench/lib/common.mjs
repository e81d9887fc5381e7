// Shared pieces of the benchmark harness: paths, clocks, processes, metrics, histograms, progress output.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import http from 'node:http';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LOG_DIR = join(ROOT, 'tmp', 'bench-logs');
export const PROF_DIR = join(ROOT, 'tmp', 'bench-prof');
export const RESULTS_DIR = join(ROOT, 'bench', 'results');
export const env = process.env;
export const num = (name, fallback) => (env[name] === undefined || env[name] === '' ? fallback : Number(env[name]));

export const ADMIN_URL = env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
export const REDIS_URL = env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const CPU_PROFILE = env.BENCH_CPU_PROF === '1';

/**
 * Milliseconds on the machine's monotonic clock (CLOCK_MONOTONIC, shared by every process of the machine), so a
 * timestamp taken in one load generator can be subtracted from one taken in another.
 */
export const now = () => Number(process.hrtime.bigint()) / 1e6;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const round = (n, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? null : Math.round(n * 10 ** digits) / 10 ** digits);

/** Progress on stderr with the elapsed time of the whole run. */
const started = Date.now();
export function progress(...args) {
  const s = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${s}s] ${args.join(' ')}\n`);
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns a truthy value (bounded by `timeoutMs`); returns the value or throws. */
export async function waitFor(probe, { timeoutMs = 30_000, intervalMs = 50, description = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${lastError ? `: ${lastError.message}` : ''}`);
    await sleep(intervalMs);
  }
}

/** Node flags of a measured process: a CPU profile when BENCH_CPU_PROF=1, the inspector on loopback when asked. */
export function nodeFlags(name, inspectPort) {
  const flags = CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  // BENCH_NODE_FLAGS: extra flags for every measured process (an A/B of a runtime setting, e.g. a heap option).
  if (env.BENCH_NODE_FLAGS) flags.push(...env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean));
  // The inspector lets a benchmark ask for a full garbage collection before it reads the heap.
  if (inspectPort) flags.push(`--inspect=127.0.0.1:${inspectPort}`);
  return flags;
}

/** Follows a child's exit: `exited` resolves with its code (or signal); `running()` says whether it still runs. */
export function trackExit(child) {
  let exitCode;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exitCode = code ?? signal))));
  return { exited, running: () => exitCode === undefined, exitCode: () => exitCode };
}

/** The handle of a started process: kill it, or stop it with SIGTERM and SIGKILL after `graceMs`. */
export function processHandle({ app, port, child, logFile, inspectPort, exit, graceMs }) {
  return {
    app,
    port,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    logFile,
    inspectPort,
    exited: exit.exited,
    get alive() {
      return exit.running();
    },
    kill(signal = 'SIGKILL') {
      if (exit.running()) child.kill(signal);
      return exit.exited;
    },
    async stop() {
      if (exit.running()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit.exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A built service (`dist/apps/<app>/main.js`) as a process, ready when `/health/ready` answers 200. Its output goes
 * to tmp/bench-logs/<app>-<port>.log, written by the kernel (not piped through this process).
 */
export async function startService(app, serviceEnv, { readyTimeoutMs = 60_000, inspectPort } = {}) {
  // BENCH_DIST: another build of the apps (an A/B of a change, built into a scratch copy of dist/).
  const main = join(env.BENCH_DIST ?? join(ROOT, 'dist'), 'apps', app, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const port = serviceEnv.PORT ? Number(serviceEnv.PORT) : await freePort();
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${app}-${port}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...nodeFlags(`${app}-${port}`, inspectPort), main], {
    cwd: ROOT,
    env: { PATH: env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: env.BENCH_LOG_LEVEL ?? 'info', ...serviceEnv, PORT: String(port) },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exit = trackExit(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (!exit.running()) throw new Error(`${app} exited with ${exit.exitCode()}; see ${logFile}`);
    const ready = await fetch(`${url}/health/ready`).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${app} not ready after ${readyTimeoutMs} ms; see ${logFile}`);
    }
    await sleep(100);
  }
  return processHandle({ app, port, child, logFile, inspectPort, exit, graceMs: 15_000 });

}

/**
 * A REST client for the benchmarks: keep-alive sockets (at most `maxSockets`), form bodies as the twilio helper sends
 * them. Answers { status, text, json() }; `close()` drops its sockets.
 */
export function httpClient(baseUrl, authorization, { maxSockets = 64 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(baseUrl);
  const request = (method, path, form) =>
    new Promise((resolve, reject) => {
      const body = form === undefined ? undefined : new URLSearchParams(form).toString();
      const headers = {
        authorization,
        accept: 'application/json',
        'user-agent': 'twilio-node/6 (parley bench)',
        ...(body !== undefined && { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }),
      };
      const req = http.request({ agent, hostname, port, method, path, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  request.close = () => agent.destroy();
  return request;
}

/** Mean of a Prometheus histogram (sum / count) over the series whose labels contain every `match` pair. */
export function histogramMean(text, name, match = {}) {
  let sum = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{(.*)\})? ([\d.eE+-]+|NaN)$/.exec(line);
    if (!m || (m[1] !== `${name}_sum` && m[1] !== `${name}_count`)) continue;
    const labels = m[2] ?? '';
    if (!Object.entries(match).every(([k, v]) => labels.includes(`${k}="${v}"`))) continue;
    if (m[1].endsWith('_sum')) sum += Number(m[3]);
    else count += Number(m[3]);
  }
  return count ? sum / count : null;
}

/** Values of Prometheus gauges/counters (summed over label sets) from a /metrics text. */
export function metricValues(text, names) {
  const out = Object.fromEntries(names.map((n) => [n, null]));
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{.*\})? ([\d.eE+-]+)$/.exec(line);
    if (m && m[1] in out) out[m[1]] = (out[m[1]] ?? 0) + Number(m[2]);
  }
  return out;
}

export async function scrape(url, names) {
  const text = await (await fetch(`${url}/metrics`)).text();
  return metricValues(text, names);
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpu_model: cpus[0]?.model.trim() ?? 'unknown', memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Histograms: log buckets of 1 % width from 1 µs, mergeable across processes (sent over IPC as plain objects).

const LOG_BASE = Math.log(1.01);
export class Histogram {
  constructor(counts = {}) {
    this.counts = new Map(Object.entries(counts).map(([k, v]) => [Number(k), v]));
    this.n = 0;
    for (const v of this.counts.values()) this.n += v;
  }

  record(ms, times = 1) {
    const b = ms <= 0.001 ? 0 : Math.ceil(Math.log(ms * 1000) / LOG_BASE);
    this.counts.set(b, (this.counts.get(b) ?? 0) + times);
    this.n += times;
  }

  merge(other) {
    const counts = other instanceof Histogram ? other.counts : new Map(Object.entries(other ?? {}).map(([k, v]) => [Number(k), v]));
    for (const [b, v] of counts) {
      this.counts.set(b, (this.counts.get(b) ?? 0) + v);
      this.n += v;
    }
    return this;
  }

  /** Upper edge of the bucket holding the p-th percentile, ms. */
  percentile(p) {
    if (this.n === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const b of keys) {
      seen += this.counts.get(b);
      if (seen >= rank) return b === 0 ? 0.001 : Math.exp(b * LOG_BASE) / 1000;
    }
    return null;
  }

  summary() {
    return { count: this.n, p50_ms: round(this.percentile(50), 2), p90_ms: round(this.percentile(90), 2), p99_ms: round(this.percentile(99), 2), max_ms: round(this.percentile(100), 2) };
  }

  toJSON() {
    return Object.fromEntries(this.counts);
  }
}

export const ratio = (a, b) => (a === null || b === null || a === undefined || b === undefined || b === 0 ? null : round(a / b, 2));

/**
 * A full garbage collection in another Node process, through its inspector (`--inspect=127.0.0.1:<port>`, loopback
 * only): `HeapProfiler.collectGarbage` over the DevTools protocol, with the `ws` client socket.io already brings.
 */
export async function forceGc(inspectPort, times = 2) {
  const require = createRequire(import.meta.url);
  const WebSocket = require('ws');
  const [target] = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json();
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  try {
    for (let id = 1; id <= times; id++) {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('collectGarbage timed out')), 30_000);
        const onMessage = (data) => {
          if (JSON.parse(String(data)).id === id) {
            clearTimeout(timer);
            ws.off('message', onMessage);
            resolve();
          }
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id, method: 'HeapProfiler.collectGarbage' }));
      });
    }
  } finally {
    ws.close();
  }
}
