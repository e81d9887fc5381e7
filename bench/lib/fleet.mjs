// The load generators as separate processes (child_process.fork of bench/lib/loadgen.mjs), each under the
// per-process fd limit, driven over IPC. Clients are assigned to workers round robin by their position.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { CPU_PROFILE, Histogram, PROF_DIR, ROOT, cpuSeconds } from './common.mjs';

export async function startFleet({ workers, target, tokens, commandTimeout = 10_000 }) {
  const procs = [];
  for (let w = 0; w < workers; w++) {
    const child = fork(join(ROOT, 'bench', 'lib', 'loadgen.mjs'), [], {
      cwd: ROOT,
      // Room for thousands of client objects and their buffers. BENCH_CPU_PROF=1 profiles the load generators too
      // (the SDK's side), named by this run's pid so concurrent runs do not overwrite each other; the profile is
      // written when the worker exits on `close`.
      execArgv: [
        '--max-old-space-size=4096',
        ...(CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`, `--cpu-prof-name=loadgen-${target}-${w}-${process.pid}.cpuprofile`] : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const pending = new Map();
    let seq = 0;
    let exited = false;
    child.on('message', ({ id, ok, result, error }) => {
      const p = pending.get(id);
      if (!p) return;
      pending.delete(id);
      if (ok) p.resolve(result);
      else p.reject(new Error(`load generator ${w}: ${error}`));
    });
    child.on('exit', (code) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`load generator ${w} exited with ${code}`));
      pending.clear();
    });
    procs.push({
      pid: child.pid,
      child,
      call(op, args, timeoutMs = 600_000) {
        if (exited) return Promise.reject(new Error(`load generator ${w} has exited`));
        return new Promise((resolve, reject) => {
          const id = ++seq;
          const timer = setTimeout(() => {
            pending.delete(id);
            reject(new Error(`load generator ${w}: ${op} timed out after ${timeoutMs} ms`));
          }, timeoutMs);
          pending.set(id, {
            resolve: (v) => (clearTimeout(timer), resolve(v)),
            reject: (e) => (clearTimeout(timer), reject(e)),
          });
          child.send({ id, op, args });
        });
      },
    });
  }
  const fleet = {
    size: workers,
    procs,
    pids: () => procs.map((p) => p.pid),
    /** The worker of the i-th client. */
    of: (i) => i % workers,
    /** client id → worker index (set by connect). */
    home: new Map(),
    /** Groups items by the worker of `idOf(item)`: an array of arrays, one per worker. */
    split(items, idOf = (x) => x) {
      const parts = Array.from({ length: workers }, () => []);
      for (const item of items) parts[fleet.home.get(idOf(item))].push(item);
      return parts;
    },
    /** Same op on every worker, with per-worker args from `argsOf(w)`. */
    all(op, argsOf = () => ({}), timeoutMs) {
      return Promise.all(procs.map((p, w) => p.call(op, typeof argsOf === 'function' ? argsOf(w) : argsOf, timeoutMs)));
    },
    /** Splits `specs` (with ids = positions) over the workers and connects them. */
    async connect(specs, { concurrency = 50, reconnection = false } = {}) {
      specs.forEach((spec, i) => fleet.home.set(spec.id, i % workers));
      const parts = await fleet.all('connect', (w) => ({ specs: specs.filter((_, i) => i % workers === w), concurrency, reconnection }), 900_000);
      const hist = new Histogram();
      const errors = {};
      let connected = 0;
      for (const p of parts) {
        hist.merge(p.connect_ms);
        connected += p.connected;
        for (const [k, v] of Object.entries(p.errors)) errors[k] = (errors[k] ?? 0) + v;
      }
      return { connected, failed: specs.length - connected, errors, connect: hist.summary() };
    },
    async stats(reset = false) {
      const parts = await fleet.all('stats', { reset });
      const latency = new Map();
      let deliveries = 0;
      let dups = 0;
      let gaps = 0;
      let reconnecting = 0;
      for (const p of parts) {
        deliveries += p.deliveries;
        dups += p.dups;
        gaps += p.gaps;
        reconnecting += p.reconnecting ?? 0;
        for (const [k, h] of Object.entries(p.latency)) {
          if (!latency.has(k)) latency.set(k, new Histogram());
          latency.get(k).merge(h);
        }
      }
      return { deliveries, dups, gaps, reconnecting, latency };
    },
    /**
     * Waits until `total` deliveries, or until none arrived for `idleMs` while every client has its session (what is
     * lost stays lost; a client still reconnecting has its missed messages to come through `resume`), bounded.
     */
    async drain(total, { timeoutMs = 30_000, idleMs = 3_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      let last = -1;
      let lastChange = Date.now();
      for (;;) {
        const { deliveries, reconnecting } = await fleet.stats();
        if (deliveries >= total) return deliveries;
        if (deliveries !== last || reconnecting > 0) (last = deliveries), (lastChange = Date.now());
        if (Date.now() - lastChange > idleMs || Date.now() > deadline) return deliveries;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async verify(expected) {
      const parts = await fleet.all('verify', { expected });
      const out = { pairs: 0, complete: 0, lost: 0, duplicated: 0, out_of_order: 0, samples: [] };
      for (const p of parts) {
        for (const k of ['pairs', 'complete', 'lost', 'duplicated', 'out_of_order']) out[k] += p[k];
        out.samples.push(...p.samples);
      }
      out.samples = out.samples.slice(0, 5);
      out.ok = out.pairs > 0 && out.complete === out.pairs && out.lost === 0 && out.duplicated === 0 && out.out_of_order === 0;
      return out;
    },
    /** What every (client, channel) must have received: Parley from the database, the baseline from the senders. */
    async expected(target, stack) {
      if (target === 'parley') {
        const db = new pg.Client({ connectionString: stack.databaseUrl });
        await db.connect();
        try {
          const { rows } = await db.query('SELECT sid, next_message_index FROM channels');
          return Object.fromEntries(rows.filter((r) => r.next_message_index > 0).map((r) => [r.sid, r.next_message_index - 1]));
        } finally {
          await db.end();
        }
      }
      const out = {};
      for (const part of await fleet.all('sentCounts')) for (const [ch, senders] of Object.entries(part)) Object.assign((out[ch] ??= {}), senders);
      return out;
    },
    cpuSeconds: () => procs.reduce((s, p) => s + cpuSeconds(p.pid), 0),
    async close() {
      await Promise.all(procs.map((p) => p.call('close', {}, 30_000).catch(() => undefined)));
      await Promise.all(procs.map((p) => (p.child.exitCode === null && p.child.signalCode === null ? new Promise((r) => p.child.once('exit', r)) : undefined)));
    },
  };
  await fleet.all('init', { target, tokens, commandTimeout });
  return fleet;
}

/** Merges the `ack_ms` histograms and error maps of per-worker send results. */
export function mergeSends(parts) {
  const ack = new Histogram();
  const errors = {};
  const sum = {};
  for (const p of parts) {
    ack.merge(p.ack_ms ?? {});
    for (const [k, v] of Object.entries(p.errors ?? {})) errors[k] = (errors[k] ?? 0) + v;
    for (const [k, v] of Object.entries(p)) if (typeof v === 'number') sum[k] = (sum[k] ?? 0) + v;
  }
  return { ...sum, errors, ack };
}
