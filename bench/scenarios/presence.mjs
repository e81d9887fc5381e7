// presence: 2,000 users on a Service with reachability on — watchers subscribed (getUser) to churning users, the
// churners disconnecting and reconnecting in waves; transition latency (the churner's connect or disconnect → each
// subscriber's `updated`) p50/p99. Then a gateway is killed with SIGKILL: the ghost duration is how long its users
// still show online to their subscribers on the other gateway. Target: ghost ≤ 15 s.
import { Histogram, now, num, progress, ratio, round, sleep } from '../lib/common.mjs';
import { onBoth, specs } from '../lib/targets.mjs';

export const title = 'presence: 2,000 users, reachability on, connect/disconnect churn; ghosts after SIGKILL of a gateway';

export async function run(ctx) {
  const users = num('BENCH_PRESENCE_USERS', ctx.smoke ? 60 : 2000);
  const churnersN = num('BENCH_PRESENCE_CHURNERS', Math.round(users / 4));
  const ghostsN = num('BENCH_PRESENCE_GHOSTS', Math.round(users / 20));
  const watchersN = users - churnersN - ghostsN;
  const rounds = num('BENCH_PRESENCE_ROUNDS', ctx.smoke ? 1 : 3);
  const batch = num('BENCH_PRESENCE_BATCH', 50);
  const batchGapMs = num('BENCH_PRESENCE_BATCH_GAP_MS', 250);
  const ghostTimeoutS = num('BENCH_PRESENCE_GHOST_TIMEOUT_S', 30);
  const config = { users, watchers: watchersN, churners: churnersN, ghosts: ghostsN, rounds, batch, batch_gap_ms: batchGapMs, ghost_timeout_s: ghostTimeoutS };

  const results = await onBoth({ label: 'presence', workers: ctx.workers, only: ctx.only }, async ({ target, system, fleet }) => {
    if (target === 'parley') {
      const res = await system.rest('POST', `/v2/Services/${system.serviceSid}`, { ReachabilityEnabled: 'true' });
      if (res.status !== 200) throw new Error(`UpdateService answered ${res.status}: ${res.text}`);
    }
    const [gwA, gwB] = system.gateways;
    const urls = [gwA.url, gwB.url];
    const churners = specs(churnersN, 'churner', urls);
    const ghosts = specs(ghostsN, 'ghost', [gwA.url]);
    const watchers = specs(watchersN, 'watcher', urls);
    // Churners and ghosts first: their Users exist (created by their first connection) before anyone subscribes.
    const conn = [await fleet.connect(churners), await fleet.connect(ghosts), await fleet.connect(watchers)];
    const failed = conn.reduce((s, c) => s + c.failed, 0);
    progress(`  ${users - failed}/${users} connected`);
    if (failed) throw new Error(`connections failed: ${JSON.stringify(conn.map((c) => c.errors))}`);

    // Every watcher watches a churner; three watchers on gateway B watch each ghost (those on A die with it).
    const pairs = watchers.map((w, i) => [w.id, churners[i % churnersN].identity]);
    const onB = watchers.filter((w) => w.url === gwB.url);
    ghosts.forEach((g, i) => {
      for (let r = 0; r < 3; r++) pairs.push([onB[(i * 3 + r) % onB.length].id, g.identity]);
    });
    const sub = await fleet.all('subscribe', (w) => ({ pairs: fleet.split(pairs, (p) => p[0])[w] }));
    const subscribed = sub.reduce((s, p) => s + p.subscribed, 0);
    const onlineAtStart = sub.flatMap((p) => p.initial).filter(([, , online]) => online === true).length;
    progress(`  ${subscribed}/${pairs.length} subscriptions (${onlineAtStart} saw the user online)`);
    await fleet.all('presence'); // drop anything before the churn

    // Churn: every churner goes away and comes back, in waves of `batch`, `rounds` times.
    const t0 = Date.now();
    const pending = [];
    for (let r = 0; r < rounds; r++) {
      for (const op of ['disconnect', 'reconnect']) {
        for (let i = 0; i < churnersN; i += batch) {
          const ids = churners.slice(i, i + batch).map((c) => c.id);
          pending.push(fleet.all(op, (w) => ({ ids: fleet.split(ids)[w] })));
          await sleep(batchGapMs);
        }
        await sleep(2000);
      }
    }
    const churnResults = await Promise.all(pending);
    const churnErrors = {};
    for (const parts of churnResults) for (const p of parts) for (const [k, v] of Object.entries(p.errors ?? {})) churnErrors[k] = (churnErrors[k] ?? 0) + v;
    await sleep(2000);
    const collected = await fleet.all('presence');
    const churnS = (Date.now() - t0) / 1000;
    const transitions = collected.flatMap((p) => p.transitions);
    const events = collected.flatMap((p) => p.events);
    const churn = matchTransitions(transitions, events, pairs.filter(([, id]) => id.startsWith('churner')));
    progress(
      `  ${target}: ${transitions.length} transitions in ${churnS.toFixed(0)} s, ${churn.observed}/${churn.expected} seen by subscribers: online p50 ${churn.online.p50_ms} ms p99 ${churn.online.p99_ms} ms, offline p50 ${churn.offline.p50_ms} ms p99 ${churn.offline.p99_ms} ms`,
    );

    // Ghosts: gateway A dies; how long do its users stay online for their subscribers on B?
    const killedAt = now();
    gwA.kill('SIGKILL');
    progress(`  gateway A killed (SIGKILL) with ${ghostsN} ghost users on it; waiting up to ${target === 'parley' ? ghostTimeoutS : 10} s for them to go offline`);
    const offlineAt = new Map();
    const deadline = Date.now() + (target === 'parley' ? ghostTimeoutS : 10) * 1000;
    while (offlineAt.size < ghostsN && Date.now() < deadline) {
      await sleep(250);
      for (const p of await fleet.all('presence')) {
        for (const [, identity, online, t] of p.events) if (identity.startsWith('ghost') && online === false && t >= killedAt && !offlineAt.has(identity)) offlineAt.set(identity, t - killedAt);
      }
    }
    const ghost = new Histogram();
    for (const ms of offlineAt.values()) ghost.record(ms);
    const out = {
      transitions: transitions.length,
      churn_s: round(churnS, 1),
      churn_errors: churnErrors,
      observed: churn.observed,
      expected_observations: churn.expected,
      missed: churn.missed,
      unexpected_events: churn.unexpected,
      online: churn.online,
      offline: churn.offline,
      all: churn.all,
      ghosts_offline: offlineAt.size,
      ghosts: ghostsN,
      ghost_max_s: offlineAt.size === ghostsN ? round(ghost.percentile(100) / 1000, 2) : null,
      ghost_ms: ghost.summary(),
    };
    out.correctness = { ok: churn.missed === 0 && churn.unexpected === 0, missed: churn.missed, unexpected: churn.unexpected, subscribed, subscriptions: pairs.length };
    progress(`  ${target}: ghosts offline ${offlineAt.size}/${ghostsN}, slowest after ${out.ghost_max_s ?? 'never (within the wait)'} s`);
    return out;
  });

  const p = results.parley;
  const b = results.baseline;
  return {
    config,
    parley: p,
    baseline: b,
    figures: [
      { name: 'transition → subscriber p50', unit: 'ms', better: 'lower', parley: p?.all.p50_ms, baseline: b?.all.p50_ms },
      { name: 'transition → subscriber p99', unit: 'ms', better: 'lower', parley: p?.all.p99_ms, baseline: b?.all.p99_ms },
      { name: 'online p99 (connect start → seen)', unit: 'ms', better: 'lower', parley: p?.online.p99_ms, baseline: b?.online.p99_ms },
      { name: 'offline p99 (disconnect → seen)', unit: 'ms', better: 'lower', parley: p?.offline.p99_ms, baseline: b?.offline.p99_ms },
      { name: 'ghost duration after SIGKILL (max)', unit: 's', better: 'lower', parley: p?.ghost_max_s, baseline: b && (b.ghost_max_s ?? 'never (no liveness)') },
    ].map((f) => ({ ...f, ratio: ratio(f.parley, f.baseline) })),
    targets: p && [{ what: 'ghost ≤ 15 s', met: p.ghost_max_s !== null && p.ghost_max_s <= 15 }],
    correctness: { parley: p?.correctness, baseline: b?.correctness, ok: [p, b].every((x) => !x || x.correctness.ok) },
  };
}

/**
 * Each subscriber must see each transition of the user it watches once: the first event of the same state at or
 * after the transition (and before the next one's event) is its observation; latency = event − transition.
 */
function matchTransitions(transitions, events, pairs) {
  const byUser = new Map();
  for (const [identity, online, t] of transitions) (byUser.get(identity) ?? byUser.set(identity, []).get(identity)).push({ online, t });
  for (const list of byUser.values()) list.sort((a, b) => a.t - b.t);
  const byPair = new Map();
  for (const [watcher, identity, online, t] of events) {
    const key = `${watcher}|${identity}`;
    (byPair.get(key) ?? byPair.set(key, []).get(key)).push({ online, t });
  }
  const online = new Histogram();
  const offline = new Histogram();
  const all = new Histogram();
  let expected = 0;
  let missed = 0;
  let unexpected = 0;
  for (const [watcher, identity] of pairs) {
    const list = byUser.get(identity) ?? [];
    const seen = (byPair.get(`${watcher}|${identity}`) ?? []).sort((a, b) => a.t - b.t);
    let e = 0;
    for (const tr of list) {
      expected++;
      while (e < seen.length && (seen[e].t < tr.t || seen[e].online !== tr.online)) {
        unexpected++;
        e++;
      }
      if (e >= seen.length) {
        missed++;
        continue;
      }
      const ms = seen[e].t - tr.t;
      (tr.online ? online : offline).record(ms);
      all.record(ms);
      e++;
    }
    unexpected += seen.length - e;
  }
  return { expected, observed: expected - missed, missed, unexpected, online: online.summary(), offline: offline.summary(), all: all.summary() };
}
