// fanout: 2,000 clients in 200 channels of 10, each channel's members split over both gateways; the send rate
// rises step by step until send→deliver p99 exceeds 200 ms. Figure: delivered msg/s at the last step within it.
// Target: ≥ 0.5× the baseline.
import { Histogram, num, progress, ratio, round, sleep } from '../lib/common.mjs';
import { createChannels } from '../lib/parley.mjs';
import { cpuMeter, onBoth, specs } from '../lib/targets.mjs';

export const title = 'fanout: 2,000 clients in 200 channels of 10, rising send rate until p99 > 200 ms';

// Steps about 20 % apart where either side's knee has been (500–5,000 sends/s): the figure is the last step within
// the limit, so the step size is the measurement's resolution (steps 50 % apart under-reported either side by up to a third).
const DEFAULT_RATES = '100,200,300,400,500,600,750,900,1100,1300,1500,1750,2000,2400,2800,3300,4000,4800,5600,6500,8000,10000,13000';

export async function run(ctx) {
  const channelsN = num('BENCH_FANOUT_CHANNELS', ctx.smoke ? 4 : 200);
  const size = num('BENCH_FANOUT_CHANNEL_SIZE', 10);
  const stepS = num('BENCH_FANOUT_STEP_S', ctx.smoke ? 1 : 3);
  const limitMs = num('BENCH_FANOUT_P99_LIMIT_MS', 200);
  const rates = (process.env.BENCH_FANOUT_RATES ?? (ctx.smoke ? '20,40' : DEFAULT_RATES)).split(',').map(Number);
  const clientsN = channelsN * size;
  const config = { clients: clientsN, channels: channelsN, channel_size: size, step_s: stepS, p99_limit_ms: limitMs, rates, workers: ctx.workers };

  const results = await onBoth({ label: 'fanout', workers: ctx.workers, only: ctx.only }, async ({ target, system, fleet }) => {
    const urls = system.gateways.map((g) => g.url);
    const defs = Array.from({ length: channelsN }, (_, c) => ({ name: `fan-${c}`, members: Array.from({ length: size }, (_, m) => `fan-${c * size + m}`) }));
    const t0 = Date.now();
    const channels = target === 'parley' ? await createChannels(system, defs) : defs.map((d) => d.name);
    if (target === 'parley') progress(`  ${channelsN} channels, ${clientsN} members over REST in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // Client i is in channel floor(i / size) and on gateway i % 2: every channel has members on both.
    const conn = await fleet.connect(specs(clientsN, 'fan', urls, (i) => [channels[Math.floor(i / size)]]));
    progress(`  ${conn.connected}/${clientsN} connected (connect p50 ${conn.connect.p50_ms} ms, p99 ${conn.connect.p99_ms} ms)`);
    if (conn.failed) throw new Error(`connections failed: ${JSON.stringify(conn.errors)}`);

    const steps = [];
    let best = null;
    for (const [k, rate] of rates.entries()) {
      const step = `s${k}`;
      const meter = cpuMeter(system, fleet);
      await meter.start();
      const sent = await fleet.all('sendRate', { rate: rate / fleet.size, durationMs: stepS * 1000, step, maxInFlight: 4000 });
      const sentN = sent.reduce((s, p) => s + p.sent, 0);
      const acked = sent.reduce((s, p) => s + p.acked, 0);
      const skipped = sent.reduce((s, p) => s + p.skipped, 0);
      const errors = Object.assign({}, ...sent.map((p) => p.errors));
      const expected = sentN * size;
      // Deliveries of this step's messages that are still on their way (bounded wait).
      let stats = await fleet.stats();
      const deadline = Date.now() + 3_000;
      while ((stats.latency.get(step)?.n ?? 0) < expected && Date.now() < deadline) {
        await sleep(100);
        stats = await fleet.stats();
      }
      const cpuS = meter.end();
      const lat = stats.latency.get(step) ?? new Histogram();
      const delivered = lat.n;
      // Not delivered by now counts as later than the limit.
      const missing = Math.max(0, expected - delivered);
      const withMissing = new Histogram(lat.toJSON());
      if (missing) withMissing.record(limitMs * 10, missing);
      const p99 = withMissing.percentile(99);
      const row = {
        rate,
        sent: sentN,
        acked,
        skipped,
        errors,
        delivered,
        delivered_per_s: round(delivered / stepS),
        latency: lat.summary(),
        p99_with_late_ms: round(p99, 2),
        cpu_us_per_delivery: meter.perOp(delivered),
        cpu_busy_of_2_cores: round(Object.values(cpuS).reduce((a, b) => a + b, 0) / (stepS + 0.001), 2),
      };
      steps.push(row);
      const within = p99 !== null && p99 <= limitMs && skipped === 0 && Object.keys(errors).length === 0;
      progress(`  ${target} step ${k}: ${rate} msg/s → ${row.delivered_per_s} delivered/s, p50 ${row.latency.p50_ms} ms, p99 ${row.p99_with_late_ms} ms${within ? '' : ' (over the limit)'}`);
      if (!within) break;
      best = row;
    }

    // Let everything still in flight arrive (or be filled by the SDK), then check every (client, channel).
    const expected = await fleet.expected(target, system);
    const expectedTotal = Object.values(expected).reduce((s, e) => s + (typeof e === 'number' ? e + 1 : Object.values(e).reduce((a, b) => a + b, 0)), 0) * size;
    await fleet.drain(expectedTotal, { timeoutMs: 40_000 });
    const check = await fleet.verify(expected);
    progress(`  ${target}: best ${best?.delivered_per_s ?? 0} delivered/s at ${best?.rate ?? '–'} sends/s; check ${check.ok ? 'ok' : `FAILED ${JSON.stringify(check)}`}`);
    return { best, broke_at: steps.length > (best ? steps.indexOf(best) + 1 : 0) ? steps[steps.length - 1] : null, steps, correctness: check };
  });

  const p = results.parley;
  const b = results.baseline;
  const r = ratio(p?.best?.delivered_per_s, b?.best?.delivered_per_s);
  return {
    config,
    parley: p,
    baseline: b,
    figures: [
      { name: 'delivered msg/s at p99 ≤ 200 ms', unit: '/s', better: 'higher', parley: p?.best?.delivered_per_s ?? 0, baseline: b?.best?.delivered_per_s ?? 0 },
      { name: 'send rate at that step', unit: '/s', better: 'higher', parley: p?.best?.rate ?? 0, baseline: b?.best?.rate ?? 0 },
      { name: 'send→deliver p50 at that step', unit: 'ms', better: 'lower', parley: p?.best?.latency.p50_ms, baseline: b?.best?.latency.p50_ms },
      { name: 'send→deliver p99 at that step', unit: 'ms', better: 'lower', parley: p?.best?.latency.p99_ms, baseline: b?.best?.latency.p99_ms },
    ].map((f) => ({ ...f, ratio: ratio(f.parley, f.baseline) })),
    targets: p && b && [{ what: 'delivered msg/s ≥ 0.5× baseline', met: r !== null && r >= 0.5 }],
    correctness: { parley: p?.correctness, baseline: b?.correctness, ok: [p, b].every((x) => !x || x.correctness.ok) },
  };
}
