// idle: 10,000 authenticated idle connections on ONE gateway; heap and RSS per connection from the gateway's own
// /metrics (nodejs_heap_size_used_bytes, process_resident_memory_bytes) before and after. Target ≤ 15 KB heap.
import { forceGc, num, progress, ratio, round, scrape, sleep, waitFor } from '../lib/common.mjs';
import { onBoth, specs } from '../lib/targets.mjs';

export const title = 'idle: 10,000 authenticated idle connections on one gateway';

const NAMES = ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes'];

/**
 * The process' memory after two full garbage collections (asked for through its inspector), so the heap figure is
 * what the connections keep alive, not garbage that happens to be uncollected; the lowest of `n` readings.
 */
async function settledMemory(gw, n) {
  const url = gw.url;
  await forceGc(gw.inspectPort);
  const samples = [];
  for (let i = 0; i < n; i++) {
    samples.push(await scrape(url, NAMES));
    if (i < n - 1) await sleep(500);
  }
  return {
    heap: Math.min(...samples.map((s) => s.nodejs_heap_size_used_bytes)),
    rss: Math.min(...samples.map((s) => s.process_resident_memory_bytes)),
  };
}

export async function run(ctx) {
  const connections = num('BENCH_IDLE_CONNECTIONS', ctx.smoke ? 200 : 10_000);
  const samples = num('BENCH_IDLE_SAMPLES', ctx.smoke ? 2 : 3);
  const config = { connections, workers: ctx.workers, per_worker: Math.ceil(connections / ctx.workers), samples };

  const onBothOptions = { label: 'idle', workers: ctx.workers, only: ctx.only, parley: { gateways: 1 }, baseline: { inspectFirst: true } };
  const results = await onBoth(onBothOptions, async ({ target, system, fleet }) => {
    // The measured gateway runs with its inspector on loopback (for the forced collections); Parley's second gateway is idle.
    const gw = target === 'parley' ? await system.addGateway({ inspect: true }) : system.gateways[0];
    // A few connections first, so what every first connection loads (modules, JIT, caches) is in "before".
    await fleet.connect(specs(ctx.workers, 'warm', [gw.url]));
    const before = await settledMemory(gw, samples);
    const t0 = Date.now();
    const conn = await fleet.connect(specs(connections, 'idle', [gw.url]), { concurrency: 50 });
    const connectS = (Date.now() - t0) / 1000;
    progress(`  ${conn.connected}/${connections} connected to one gateway in ${connectS.toFixed(1)} s (connect p50 ${conn.connect.p50_ms} ms, p99 ${conn.connect.p99_ms} ms)`);
    if (target === 'parley') {
      await waitFor(async () => (await scrape(gw.url, ['parley_socket_connections'])).parley_socket_connections >= conn.connected + ctx.workers, { timeoutMs: 30_000, description: 'the gateway to count every socket' });
    }
    await sleep(3000);
    const after = await settledMemory(gw, samples);
    const n = conn.connected;
    const out = {
      connected: n,
      failed: conn.failed,
      errors: conn.errors,
      connect: conn.connect,
      connects_per_s: round(n / connectS),
      heap_before_mb: round(before.heap / 2 ** 20, 1),
      heap_after_mb: round(after.heap / 2 ** 20, 1),
      rss_before_mb: round(before.rss / 2 ** 20, 1),
      rss_after_mb: round(after.rss / 2 ** 20, 1),
      heap_per_connection_kb: n ? round((after.heap - before.heap) / n / 1024, 2) : null,
      rss_per_connection_kb: n ? round((after.rss - before.rss) / n / 1024, 2) : null,
      loadgen_memory_mb: round((await fleet.all('memory')).reduce((s, m) => s + m.rss, 0) / 2 ** 20),
    };
    out.correctness = { ok: n === connections, connected: n, expected: connections };
    progress(`  ${target}: heap ${out.heap_per_connection_kb} KB/connection, RSS ${out.rss_per_connection_kb} KB/connection`);
    return out;
  });

  const p = results.parley;
  const b = results.baseline;
  return {
    config,
    parley: p,
    baseline: b,
    figures: [
      { name: 'heap per connection', unit: 'KB', better: 'lower', parley: p?.heap_per_connection_kb, baseline: b?.heap_per_connection_kb },
      { name: 'RSS per connection', unit: 'KB', better: 'lower', parley: p?.rss_per_connection_kb, baseline: b?.rss_per_connection_kb },
      { name: 'connects/s (to one gateway)', unit: '/s', better: 'higher', parley: p?.connects_per_s, baseline: b?.connects_per_s },
      { name: 'connect p99', unit: 'ms', better: 'lower', parley: p?.connect.p99_ms, baseline: b?.connect.p99_ms },
    ].map((f) => ({ ...f, ratio: ratio(f.parley, f.baseline) })),
    targets: p && [{ what: '≤ 15 KB heap per connection', met: p.heap_per_connection_kb !== null && p.heap_per_connection_kb <= 15 }],
    correctness: { parley: p?.correctness, baseline: b?.correctness, ok: [p, b].every((x) => !x || x.correctness.ok) },
  };
}
