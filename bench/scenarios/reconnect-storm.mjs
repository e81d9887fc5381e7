// reconnect-storm: 5,000 clients connected through a TCP balancer (libs/testing startTcpBalancer) to gateway A; the
// balancer is switched to gateway B and A is killed with SIGKILL. Messages keep coming from senders on B during the
// storm. Figures: time until every client has its session again (resubscribed), and until every client holds
// every message of its channels (recovered); lost and duplicated messages (must be 0). Target ≤ 10 s.
import { Histogram, now, num, progress, ratio, round, sleep, waitFor } from '../lib/common.mjs';
import { startBalancer } from '../lib/balancer.mjs';
import { createChannels } from '../lib/parley.mjs';
import { cpuMeter, onBoth } from '../lib/targets.mjs';

export const title = 'reconnect-storm: 5,000 clients, their gateway killed with SIGKILL';

export async function run(ctx) {
  const victimsN = num('BENCH_STORM_CLIENTS', ctx.smoke ? 100 : 5000);
  const size = num('BENCH_STORM_CHANNEL_SIZE', 10);
  const sendersN = num('BENCH_STORM_SENDERS', ctx.smoke ? 2 : 50);
  const timeoutS = num('BENCH_STORM_TIMEOUT_S', 60);
  const channelsN = Math.ceil(victimsN / size);
  const config = { clients: victimsN, channels: channelsN, channel_size: size, senders_on_survivor: sendersN, timeout_s: timeoutS, workers: ctx.workers };

  const results = await onBoth({ label: 'storm', workers: ctx.workers, only: ctx.only }, async ({ target, system, fleet }) => {
    const [gwA, gwB] = system.gateways;
    const balancer = await startBalancer([gwA.port]);
    try {
      const senderOf = (c) => `sender-${c % sendersN}`;
      const defs = Array.from({ length: channelsN }, (_, c) => ({
        name: `storm-${c}`,
        members: [...Array.from({ length: size }, (_, m) => `storm-${c * size + m}`).filter((_, m) => c * size + m < victimsN), senderOf(c)],
      }));
      const t0 = Date.now();
      const channels = target === 'parley' ? await createChannels(system, defs, { concurrency: 24 }) : defs.map((d) => d.name);
      if (target === 'parley') progress(`  ${channelsN} channels with ${victimsN + channelsN} members over REST in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      const victims = Array.from({ length: victimsN }, (_, i) => ({ id: `storm-${i}`, identity: `storm-${i}`, url: balancer.url, channels: [channels[Math.floor(i / size)]] }));
      const senders = Array.from({ length: sendersN }, (_, j) => ({ id: `sender-${j}`, identity: `sender-${j}`, url: gwB.url, channels: channels.filter((_, c) => c % sendersN === j) }));
      let conn = await fleet.connect(victims, { reconnection: true });
      progress(`  ${conn.connected}/${victimsN} connected through the balancer to gateway A (connect p50 ${conn.connect.p50_ms} ms, p99 ${conn.connect.p99_ms} ms)`);
      if (conn.failed) throw new Error(`connections failed: ${JSON.stringify(conn.errors)}`);
      conn = await fleet.connect(senders);
      if (conn.failed) throw new Error(`sender connections failed: ${JSON.stringify(conn.errors)}`);

      const items = senders.flatMap((s) => s.channels.map((ch) => [s.id, ch]));
      const send = (count, step) => fleet.all('sendEach', (w) => ({ items: fleet.split(items, (x) => x[0])[w], count, step }));
      const membersTotal = defs.reduce((s, d) => s + d.members.length, 0);

      // Before: one message per channel, delivered live.
      await send(1, 'before');
      await waitFor(async () => (await fleet.stats()).deliveries >= membersTotal, { timeoutMs: 30_000, description: 'the first round' });

      // The storm: new connections go to B, A dies; two more messages per channel while the clients come back.
      await fleet.all('mark');
      await balancer.setUpstreams([gwB.port]);
      const meter = cpuMeter(system, fleet, { balancer: [balancer.pid] });
      await meter.start();
      const killedAt = now();
      gwA.kill('SIGKILL');
      progress(`  gateway A killed (SIGKILL); ${victimsN} clients reconnecting through the balancer to B`);
      const during = await send(2, 'during');
      const sendErrors = Object.assign({}, ...during.map((p) => p.errors));

      const expectedAfter = target === 'parley' ? Object.fromEntries(channels.map((c) => [c, 2])) : Object.fromEntries(channels.map((c, i) => [c, { [senderOf(i)]: 3 }]));
      const deadline = Date.now() + timeoutS * 1000;
      let lastLog = 0;
      let sendExpected = expectedAfter;
      for (;;) {
        // Counts only: the poll must not take the CPU the storm is measured on (the rows are read once, after).
        const parts = await fleet.all('recovery', { expected: sendExpected, prefix: 'storm-' });
        sendExpected = undefined;
        const back = parts.reduce((n, p) => n + p.back, 0);
        const recovered = parts.reduce((n, p) => n + p.recovered, 0);
        if (Date.now() - lastLog > 2000) {
          progress(`  ${((now() - killedAt) / 1000).toFixed(1)} s: ${back}/${victimsN} back, ${recovered}/${victimsN} hold every message`);
          lastLog = Date.now();
        }
        // The baseline has nothing to recover from: it is done when everyone is back.
        if (target === 'parley' ? recovered === victimsN : back === victimsN) break;
        if (Date.now() > deadline) break;
        await sleep(250);
      }
      meter.end();
      const rows = (await fleet.all('recovery', { prefix: 'storm-', all: true })).flatMap((p) => p.rows);
      const backTimes = new Histogram();
      const recoveredTimes = new Histogram();
      let allBack = 0;
      let allRecovered = 0;
      for (const [, back, rec] of rows) {
        if (back !== null) backTimes.record(back - killedAt), (allBack = Math.max(allBack, back - killedAt));
        if (back !== null && rec !== null) recoveredTimes.record(Math.max(rec, back) - killedAt), (allRecovered = Math.max(allRecovered, Math.max(rec, back) - killedAt));
      }
      const backCount = backTimes.n;
      const recoveredCount = recoveredTimes.n;

      // After: one more live message per channel, then every (client, channel) is checked: 4 messages each, once, in order.
      await send(1, 'after');
      const expected = await fleet.expected(target, system);
      const total = Object.values(expected).reduce((s, e) => s + (typeof e === 'number' ? e + 1 : Object.values(e).reduce((a, b) => a + b, 0)), 0) * (size + 1);
      await fleet.drain(total, { timeoutMs: 30_000 });
      const check = await fleet.verify(expected);
      const out = {
        reconnected: backCount,
        recovered: recoveredCount,
        all_resubscribed_s: backCount === victimsN ? round(allBack / 1000, 2) : null,
        all_recovered_s: recoveredCount === victimsN ? round(allRecovered / 1000, 2) : null,
        resubscribed_ms: backTimes.summary(),
        recovered_ms: recoveredTimes.summary(),
        lost: check.lost,
        duplicated: check.duplicated,
        out_of_order: check.out_of_order,
        send_errors: sendErrors,
        // From the kill until every client is back (and recovered), by process, per reconnecting client.
        cpu_us_per_client: meter.perOp(victimsN),
        correctness: { ...check, ok: check.ok && backCount === victimsN },
      };
      progress(
        `  ${target}: all back in ${out.all_resubscribed_s ?? `> ${timeoutS}`} s, all recovered in ${out.all_recovered_s ?? '–'} s; lost ${out.lost}, duplicated ${out.duplicated}, out of order ${out.out_of_order}`,
      );
      return out;
    } finally {
      await balancer.close();
    }
  });

  const p = results.parley;
  const b = results.baseline;
  return {
    config,
    parley: p,
    baseline: b,
    figures: [
      { name: 'all resubscribed', unit: 's', better: 'lower', parley: p?.all_resubscribed_s, baseline: b?.all_resubscribed_s },
      { name: 'resubscribed p50', unit: 'ms', better: 'lower', parley: p?.resubscribed_ms.p50_ms, baseline: b?.resubscribed_ms.p50_ms },
      { name: 'all recovered (every missed message held)', unit: 's', better: 'lower', parley: p?.all_recovered_s, baseline: b && (b.all_recovered_s ?? 'never (no recovery)') },
      { name: 'lost messages', unit: '', better: 'lower', parley: p?.lost, baseline: b?.lost },
      { name: 'duplicated messages', unit: '', better: 'lower', parley: p?.duplicated, baseline: b?.duplicated },
    ].map((f) => ({ ...f, ratio: ratio(f.parley, f.baseline) })),
    targets: p && [
      { what: 'all resubscribed and recovered ≤ 10 s', met: p.all_recovered_s !== null && p.all_recovered_s <= 10 },
      { what: 'lost = 0 and duplicated = 0', met: p.lost === 0 && p.duplicated === 0 },
    ],
    // The baseline has no recovery: its lost messages are the point of comparison, not a harness failure.
    correctness: { parley: p?.correctness, baseline: b?.correctness, ok: !p || p.correctness.ok },
  };
}
