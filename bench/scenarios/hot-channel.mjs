// hot-channel: one channel of 100 members spread over both gateways, 30 messages/s sent by its members in turn;
// send→deliver latency at every member. Targets: p50 ≤ 5 ms, p99 ≤ 25 ms.
import { Histogram, num, progress, ratio, round, sleep } from '../lib/common.mjs';
import { createChannels } from '../lib/parley.mjs';
import { cpuMeter, onBoth, specs } from '../lib/targets.mjs';

export const title = 'hot-channel: 100 members over two gateways, 30 msg/s';

export async function run(ctx) {
  const members = num('BENCH_HOT_MEMBERS', ctx.smoke ? 10 : 100);
  const rate = num('BENCH_HOT_RATE', 30);
  const warmupS = num('BENCH_HOT_WARMUP_S', ctx.smoke ? 1 : 3);
  const durationS = num('BENCH_HOT_DURATION_S', ctx.smoke ? 3 : 20);
  const config = { members, rate, warmupS, durationS, workers: ctx.workers };

  const results = await onBoth({ label: 'hot', workers: ctx.workers, only: ctx.only }, async ({ target, system, fleet }) => {
    const identities = Array.from({ length: members }, (_, i) => `hot-${i}`);
    const [channel] = target === 'parley' ? await createChannels(system, [{ name: 'hot', members: identities }]) : ['hot'];
    const conn = await fleet.connect(specs(members, 'hot', system.gateways.map((g) => g.url), () => [channel]));
    progress(`  ${conn.connected}/${members} connected (connect p50 ${conn.connect.p50_ms} ms)`);
    if (conn.failed) throw new Error(`connections failed: ${JSON.stringify(conn.errors)}`);

    // Warm-up (JIT, pools, adapter subscriptions), then the measured window; both open loop at `rate`.
    await fleet.all('sendRate', { rate: rate / fleet.size, durationMs: warmupS * 1000, step: 'warm' });
    const before = await fleet.stats(true);
    const meter = cpuMeter(system, fleet);
    await meter.start();
    const sent = await fleet.all('sendRate', { rate: rate / fleet.size, durationMs: durationS * 1000, step: 'hot' });
    meter.end();
    const sentTotal = sent.reduce((s, p) => s + p.sent, 0);
    const expectedDeliveries = before.deliveries + sentTotal * members;
    await fleet.drain(expectedDeliveries, { timeoutMs: 20_000 });
    await sleep(200);
    const stats = await fleet.stats();
    const lat = stats.latency.get('hot') ?? new Histogram();
    const check = await fleet.verify(await fleet.expected(target, system));
    const ack = new Histogram();
    for (const p of sent) ack.merge(p.ack_ms);
    const errors = Object.assign({}, ...sent.map((p) => p.errors));
    progress(`  ${target}: sent ${sentTotal}, send→deliver p50 ${round(lat.percentile(50), 2)} ms p99 ${round(lat.percentile(99), 2)} ms, ack p50 ${ack.summary().p50_ms} ms; check ${check.ok ? 'ok' : 'FAILED'}`);
    return {
      sent: sentTotal,
      deliveries: lat.n,
      expected_deliveries: sentTotal * members,
      latency: lat.summary(),
      ack: ack.summary(),
      errors,
      cpu_us_per_message: meter.perOp(sentTotal),
      correctness: check,
    };
  });

  const p = results.parley;
  const b = results.baseline;
  return {
    config,
    parley: p,
    baseline: b,
    figures: [
      { name: 'send→deliver p50', unit: 'ms', better: 'lower', parley: p?.latency.p50_ms, baseline: b?.latency.p50_ms },
      { name: 'send→deliver p99', unit: 'ms', better: 'lower', parley: p?.latency.p99_ms, baseline: b?.latency.p99_ms },
      { name: 'delivered msg/s', unit: '/s', better: 'higher', parley: p && round(p.deliveries / durationS), baseline: b && round(b.deliveries / durationS) },
    ].map((f) => ({ ...f, ratio: ratio(f.parley, f.baseline) })),
    targets: p && [
      { what: 'p50 ≤ 5 ms', met: p.latency.p50_ms !== null && p.latency.p50_ms <= 5 },
      { what: 'p99 ≤ 25 ms', met: p.latency.p99_ms !== null && p.latency.p99_ms <= 25 },
    ],
    correctness: {
      parley: p?.correctness,
      baseline: b?.correctness,
      ok: [p, b].every((x) => !x || (x.correctness.ok && x.deliveries === x.expected_deliveries)),
    },
  };
}
