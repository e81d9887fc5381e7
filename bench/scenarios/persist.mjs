// persist: 200 concurrent SDK senders (closed loops: send, wait for the ack — which comes after the commit — send
// again), in channels of 10; msg/s and ack latency, against the same rows written directly with `pg` in the same
// transaction shape (BEGIN; UPDATE channels … RETURNING; INSERT INTO messages …; COMMIT) from 200 concurrent loops
// over as many connections as the message-services' pools hold together. Targets: ≥ 1,500 msg/s and ≥ 0.5× direct.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Histogram, num, progress, ratio, round } from '../lib/common.mjs';
import { mergeSends } from '../lib/fleet.mjs';
import { createChannels } from '../lib/parley.mjs';
import { cpuMeter, onBoth, parleyMeans, specs } from '../lib/targets.mjs';

export const title = 'persist: 200 concurrent SDK senders, acked after commit, vs direct pg';

const DIRECT_UPDATE = `
  UPDATE channels
     SET next_message_index = next_message_index + 1, messages_count = messages_count + 1,
         last_message_sid = $1, last_message_index = next_message_index, last_message_date = $2
   WHERE sid = $3 AND service_sid = $4 AND account_sid = $5
   RETURNING next_message_index - 1 AS index`;
const DIRECT_INSERT = `
  INSERT INTO messages (sid, account_sid, service_sid, channel_sid, "index", author, body, attributes, was_edited,
                        last_updated_by, "type", media, to_sid, idempotency_key, date_created, date_updated)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false, null, 'text', null, $4, $10, $9, $9)`;

export async function run(ctx) {
  const senders = num('BENCH_PERSIST_SENDERS', ctx.smoke ? 10 : 200);
  const perChannel = num('BENCH_PERSIST_CHANNEL_SIZE', 10);
  const warmupS = num('BENCH_PERSIST_WARMUP_S', ctx.smoke ? 1 : 3);
  const durationS = num('BENCH_PERSIST_DURATION_S', ctx.smoke ? 3 : 15);
  const poolSize = num('BENCH_POOL_SIZE', 20);
  const channelsN = Math.ceil(senders / perChannel);
  const config = { senders, channels: channelsN, channel_size: perChannel, warmupS, durationS, pool_size_per_message_service: poolSize, direct_connections: 2 * poolSize };

  const results = await onBoth(
    {
      label: 'persist',
      workers: ctx.workers,
      only: ['parley'],
      // The scenario measures the write path, not the per-socket command limit (Twilio's 30/s).
      parley: { env: { SOCKET_COMMANDS_PER_SECOND: '10000' }, poolSize },
    },
    async ({ system, fleet }) => {
      const defs = Array.from({ length: channelsN }, (_, c) => ({ name: `persist-${c}`, members: Array.from({ length: perChannel }, (_, m) => `persist-${c * perChannel + m}`).filter((_, m) => c * perChannel + m < senders) }));
      const channels = await createChannels(system, defs);
      const clientSpecs = specs(senders, 'persist', system.gateways.map((g) => g.url), (i) => [channels[Math.floor(i / perChannel)]]);
      const conn = await fleet.connect(clientSpecs);
      progress(`  ${conn.connected}/${senders} connected`);
      if (conn.failed) throw new Error(`connections failed: ${JSON.stringify(conn.errors)}`);
      const meter = cpuMeter(system, fleet);
      setTimeout(() => void meter.start(), warmupS * 1000);
      const parts = await fleet.all('closedLoop', (w) => ({ senders: clientSpecs.filter((_, i) => i % fleet.size === w).map((s) => s.id), warmupMs: warmupS * 1000, durationMs: durationS * 1000, step: 'persist' }));
      meter.end();
      const sends = mergeSends(parts);
      const sdk = { msg_per_s: round(sends.measured / durationS), ack: sends.ack.summary(), total: sends.total, errors: sends.errors, cpu_us_per_message: meter.perOp(sends.measured) };
      progress(`  CPU µs per message: ${JSON.stringify(sdk.cpu_us_per_message)}`);
      progress(`  SDK: ${sdk.msg_per_s} msg/s, ack p50 ${sdk.ack.p50_ms} ms p99 ${sdk.ack.p99_ms} ms, errors ${JSON.stringify(sends.errors)}`);

      // Every member got every message once, in order; the rows and the counters agree.
      const expected = await fleet.expected('parley', system);
      const expectedDeliveries = Object.entries(expected).reduce((s, [ch, last]) => s + (last + 1) * defs[channels.indexOf(ch)].members.length, 0);
      await fleet.drain(expectedDeliveries, { timeoutMs: 20_000 });
      const check = await fleet.verify(expected);
      const rows = await countRows(system.databaseUrl);
      check.rows_match_counters = rows.ok;
      check.rows = rows.rows;
      check.acked = sends.total;
      check.ok = check.ok && rows.ok && rows.rows >= sends.total;
      const delivered = (await fleet.stats()).latency.get('persist') ?? new Histogram();
      progress(`  check: ${check.ok ? 'ok' : `FAILED ${JSON.stringify(check)}`}`);

      const serviceMeans = await parleyMeans(system).catch((err) => ({ error: String(err) }));
      // The direct baseline: services and clients stopped, the same database, fresh channels.
      await fleet.close();
      await Promise.all(system.processes.map((p) => p.stop()));
      progress('  direct pg baseline (same rows, same transaction shape)…');
      const direct = await directBaseline(system, { concurrency: senders, connections: 2 * poolSize, channelsN, warmupS, durationS });
      progress(`  direct: ${direct.msg_per_s} rows/s, p50 ${direct.latency.p50_ms} ms p99 ${direct.latency.p99_ms} ms`);
      return { sdk, direct, deliver: delivered.summary(), correctness: check, means: serviceMeans };
    },
  );

  const p = results.parley;
  const r = ratio(p?.sdk.msg_per_s, p?.direct.msg_per_s);
  return {
    config,
    parley: p && { ...p.sdk, deliver: p.deliver, service_means: p.means },
    baseline: p && { kind: 'direct pg, same rows and transaction shape', ...p.direct },
    figures: p
      ? [
          { name: 'msg/s (acked after commit)', unit: '/s', better: 'higher', parley: p.sdk.msg_per_s, baseline: p.direct.msg_per_s },
          { name: 'ack p50', unit: 'ms', better: 'lower', parley: p.sdk.ack.p50_ms, baseline: p.direct.latency.p50_ms },
          { name: 'ack p99', unit: 'ms', better: 'lower', parley: p.sdk.ack.p99_ms, baseline: p.direct.latency.p99_ms },
        ].map((f) => ({ ...f, ratio: ratio(f.parley, f.baseline) }))
      : [],
    baseline_kind: 'direct pg',
    targets: p && [
      { what: '≥ 1,500 msg/s', met: p.sdk.msg_per_s >= 1500 },
      { what: '≥ 0.5× direct pg', met: r !== null && r >= 0.5 },
    ],
    correctness: { parley: p?.correctness, baseline: p?.direct.correctness, ok: Boolean(p?.correctness.ok && p?.direct.correctness.ok) },
  };
}

async function countRows(databaseUrl) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT c.sid, c.messages_count, c.next_message_index, (SELECT count(*)::int FROM messages m WHERE m.channel_sid = c.sid) AS rows FROM channels c`,
    );
    return { ok: rows.every((r) => r.messages_count === r.rows && r.next_message_index === r.rows), rows: rows.reduce((s, r) => s + r.rows, 0) };
  } finally {
    await db.end();
  }
}

async function directBaseline(system, { concurrency, connections, channelsN, warmupS, durationS }) {
  const db = new pg.Pool({ connectionString: system.databaseUrl, max: connections });
  db.on('error', () => undefined);
  const channels = [];
  for (let c = 0; c < channelsN; c++) {
    const sid = `CH${randomBytes(16).toString('hex')}`;
    await db.query(`INSERT INTO channels (sid, account_sid, service_sid, friendly_name, date_created, date_updated) VALUES ($1, $2, $3, $4, now(), now())`, [sid, system.accountSid, system.serviceSid, `direct-${c}`]);
    channels.push(sid);
  }
  const hist = new Histogram();
  const errors = {};
  const indexes = new Map(channels.map((c) => [c, []]));
  let measured = 0;
  const t0 = performance.now();
  const from = t0 + warmupS * 1000;
  const to = from + durationS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      const channel = channels[i % channels.length];
      let n = 0;
      while (performance.now() < to) {
        const s = performance.now();
        const client = await db.connect();
        try {
          const sid = `IM${randomBytes(16).toString('hex')}`;
          const nowIso = new Date().toISOString();
          await client.query('BEGIN');
          const { rows } = await client.query(DIRECT_UPDATE, [sid, nowIso, channel, system.serviceSid, system.accountSid]);
          await client.query(DIRECT_INSERT, [sid, system.accountSid, system.serviceSid, channel, rows[0].index, `sender-${i}`, 'bench message', `{"n":${n++}}`, nowIso, randomBytes(8).toString('hex')]);
          await client.query('COMMIT');
          indexes.get(channel).push(rows[0].index);
          const e = performance.now();
          if (s >= from && e <= to) {
            measured++;
            hist.record(e - s);
          }
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          const k = String(err.message).slice(0, 80);
          errors[k] = (errors[k] ?? 0) + 1;
        } finally {
          client.release();
        }
      }
    }),
  );
  await db.end();
  const unique = [...indexes.values()].every((list) => new Set(list).size === list.length);
  const rows = await countRows(system.databaseUrl);
  return { msg_per_s: round(measured / durationS), latency: hist.summary(), errors, correctness: { ok: unique && rows.ok, indexes_unique: unique, rows_match_counters: rows.ok } };
}


