// A load-generator process (child_process.fork from bench/lib/fleet.mjs). It holds a share of the clients — SDK
// clients (`@parley/client`) against Parley, plain socket.io-client sockets against the baseline — and runs what the
// orchestrator asks over IPC: connect, send at a rate or in closed loops, subscribe to users, churn, report.
//
// Every delivery is checked as it arrives: against Parley each (client, channel) must see the channel's message
// indexes once each and in order (0, 1, 2, …); against the baseline each (client, room, sender) must see the sender's
// sequence numbers once each and in order. Latency is send→deliver on the machine's monotonic clock.
import { createRequire } from 'node:module';
import { Histogram, now, sleep } from './common.mjs';

const require = createRequire(import.meta.url);
const AccessToken = require('twilio/lib/jwt/AccessToken');

let target = null; // 'parley' | 'baseline'
let tokens = null;
let commandTimeout = 10_000;
let Client = null;
let io = null;

/** id → { id, identity, url, channels, conn, recv: Map<channel, Recv>, seq: Map<channel, n> } */
const clients = new Map();
const latency = new Map(); // step → Histogram (send→deliver)
let deliveries = 0;
let markAt = null;
const readyAfterMark = new Map(); // client id → first session/ready after the mark
const recoveryDone = new Map(); // client id → [id, back at, recovered at], once both are known (storm polls)
let recoveryExpected = null;
const presenceEvents = []; // [watcher, identity, online, t]
const transitions = []; // [identity, online, t] (this process's own churn)

function token(identity) {
  const t = new AccessToken(tokens.accountSid, tokens.keySid, tokens.keySecret, { identity, ttl: 3600 });
  t.addGrant(new AccessToken.ChatGrant({ serviceSid: tokens.serviceSid }));
  return t.toJwt();
}

function recvOf(c, channel) {
  let r = c.recv.get(channel);
  if (!r) {
    r = { first: null, last: null, count: 0, dups: 0, gaps: 0, lastAt: null, senders: null };
    c.recv.set(channel, r);
  }
  return r;
}

function onDelivery(c, channel, index, a) {
  const t = now();
  deliveries++;
  if (a && typeof a.t === 'number') {
    let h = latency.get(a.k);
    if (!h) latency.set(a.k, (h = new Histogram()));
    h.record(t - a.t);
  }
  const r = recvOf(c, channel);
  r.count++;
  r.lastAt = t;
  if (target === 'parley') {
    if (r.last === null) r.first = index;
    else if (index <= r.last) r.dups++;
    else if (index !== r.last + 1) r.gaps++;
    if (r.last === null || index > r.last) r.last = index;
  } else {
    r.senders ??= new Map();
    const s = r.senders.get(a.s) ?? { last: -1, n: 0, dups: 0 };
    if (a.q <= s.last) s.dups++, r.dups++;
    else if (a.q !== s.last + 1) r.gaps++;
    s.n++;
    if (a.q > s.last) s.last = a.q;
    r.senders.set(a.s, s);
  }
}

/** When `c` held the expected last message of every channel it is in (null: not yet). */
function recoveredAtOf(c, expected) {
  let recoveredAt = 0;
  for (const channel of c.channels ?? []) {
    const exp = expected[channel];
    if (exp === undefined) continue;
    const r = c.recv.get(channel);
    const done = target === 'parley' ? r && r.last === exp && r.count - r.dups === exp + 1 : r && Object.entries(exp).every(([s, n]) => r.senders?.get(s)?.n === n);
    if (!done) return null;
    recoveredAt = Math.max(recoveredAt, r.lastAt);
  }
  return recoveredAt;
}

function onReady(c) {
  if (markAt !== null && !readyAfterMark.has(c.id)) readyAfterMark.set(c.id, now());
}

// ---------------------------------------------------------------------------------------------------------------
// The two kinds of client, behind one shape: connect(), send(channel, attrs) → { index }, subscribe(identity), close().

async function connectParley(spec) {
  const c = clients.get(spec.id) ?? { ...spec, recv: new Map(), seq: new Map() };
  c.url = spec.url ?? c.url;
  const client = await Client.create(token(c.identity), { url: c.url, commandTimeout, initTimeout: 60_000 });
  c.conn = client;
  c.channelObjects = new Map();
  client.on('messageAdded', (m) => onDelivery(c, m.channel.sid, m.index, m.attributes));
  client.on('connectionStateChanged', (state) => {
    if (state === 'connected') onReady(c);
  });
  c.send = async (channel, attrs) => {
    let ch = c.channelObjects.get(channel);
    if (!ch) c.channelObjects.set(channel, (ch = await client.getChannelBySid(channel)));
    return { index: await ch.sendMessage('bench message', attrs) };
  };
  c.subscribe = async (identity, watcherId) => {
    const user = await client.getUser(identity);
    user.on('updated', ({ user: u, updateReasons }) => {
      if (updateReasons.includes('reachabilityOnline')) presenceEvents.push([watcherId, identity, u.isOnline, now()]);
    });
    return user.isOnline;
  };
  c.close = () => client.shutdown();
  clients.set(c.id, c);
  return c;
}

async function connectBaseline(spec, { reconnection = false } = {}) {
  const c = clients.get(spec.id) ?? { ...spec, recv: new Map(), seq: new Map() };
  c.url = spec.url ?? c.url;
  const socket = io(c.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection,
    // What a careful app would use: the SDK's backoff (250 ms doubling to 10 s, jittered).
    reconnectionDelay: 250,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
    timeout: commandTimeout,
    auth: { identity: c.identity, rooms: c.channels ?? [] },
  });
  c.conn = socket;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no ready from the baseline server')), 60_000);
    socket.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
    if (!reconnection) socket.once('connect_error', (err) => (clearTimeout(timer), reject(err)));
  });
  socket.on('ready', () => onReady(c));
  socket.on('msg', (p) => onDelivery(c, p.room, null, p));
  socket.on('presence', (p) => {
    for (const w of c.watching ?? []) if (w === p.identity) presenceEvents.push([c.id, p.identity, p.online, now()]);
  });
  c.send = (channel, attrs) =>
    new Promise((resolve, reject) =>
      socket.timeout(commandTimeout).emit('msg', { room: channel, ...attrs }, (err) => (err ? reject(err) : resolve({ index: null }))),
    );
  c.subscribe = (identity) =>
    new Promise((resolve, reject) => {
      (c.watching ??= new Set()).add(identity);
      socket.timeout(commandTimeout).emit('subscribe', identity, (err) => (err ? reject(err) : resolve(null)));
    });
  c.close = () => socket.disconnect();
  clients.set(c.id, c);
  return c;
}

const connect = (spec, opts) => (target === 'parley' ? connectParley(spec) : connectBaseline(spec, opts));

function nextAttrs(c, channel, step) {
  const q = c.seq.get(channel) ?? 0;
  c.seq.set(channel, q + 1);
  return { t: now(), k: step, s: c.id, q };
}

function errorKey(err) {
  return String(err?.code ?? err?.message ?? err).slice(0, 80);
}

// ---------------------------------------------------------------------------------------------------------------
// Operations

const ops = {
  init(args) {
    target = args.target;
    tokens = args.tokens ?? null;
    commandTimeout = args.commandTimeout ?? commandTimeout;
    if (target === 'parley') ({ Client } = require('@parley/client'));
    else ({ io } = require('socket.io-client'));
    return { pid: process.pid };
  },

  /** Connects the given clients, `concurrency` handshakes in flight. */
  async connect({ specs, concurrency = 50, reconnection = false }) {
    const hist = new Histogram();
    const errors = {};
    let connected = 0;
    let next = 0;
    const worker = async () => {
      while (next < specs.length) {
        const spec = specs[next++];
        const t0 = now();
        try {
          await connect(spec, { reconnection });
          hist.record(now() - t0);
          connected++;
        } catch (err) {
          const k = errorKey(err);
          errors[k] = (errors[k] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, worker));
    return { connected, failed: specs.length - connected, errors, connect_ms: hist.toJSON() };
  },

  /** Open loop: `rate` sends per second from `senders` (round robin) for `durationMs`; never more than `maxInFlight` waiting. */
  async sendRate({ rate, durationMs, step, senders, maxInFlight = 5000 }) {
    const ids = senders ?? [...clients.values()].filter((c) => c.channels?.length).map((c) => c.id);
    const ack = new Histogram();
    const errors = {};
    let sent = 0;
    let acked = 0;
    let skipped = 0;
    let inFlight = 0;
    let i = 0;
    const start = now();
    const end = start + durationMs;
    while (now() < end && ids.length) {
      const due = Math.floor((rate * (now() - start)) / 1000) - sent - skipped;
      for (let j = 0; j < due; j++) {
        if (inFlight >= maxInFlight) {
          skipped++;
          continue;
        }
        const c = clients.get(ids[i++ % ids.length]);
        c.rr = (c.rr ?? -1) + 1;
        const channel = c.channels[c.rr % c.channels.length];
        const attrs = nextAttrs(c, channel, step);
        sent++;
        inFlight++;
        c.send(channel, attrs).then(
          () => {
            ack.record(now() - attrs.t);
            acked++;
            inFlight--;
          },
          (err) => {
            const k = errorKey(err);
            errors[k] = (errors[k] ?? 0) + 1;
            inFlight--;
          },
        );
      }
      await sleep(5);
    }
    const deadline = Date.now() + 3 * commandTimeout + 5_000;
    while (inFlight > 0 && Date.now() < deadline) await sleep(20);
    return { sent, acked, skipped, in_flight_left: inFlight, errors, ack_ms: ack.toJSON() };
  },

  /** `count` messages to each [clientId, channel], one after another per pair, all pairs at once. */
  async sendEach({ items, count = 1, step }) {
    const errors = {};
    let acked = 0;
    await Promise.all(
      items.map(async ([id, channel]) => {
        const c = clients.get(id);
        for (let n = 0; n < count; n++) {
          try {
            await c.send(channel, nextAttrs(c, channel, step));
            acked++;
          } catch (err) {
            const k = errorKey(err);
            errors[k] = (errors[k] ?? 0) + 1;
          }
        }
      }),
    );
    return { acked, errors };
  },

  /** Closed loops: every sender sends, waits for the ack, sends again; measured after `warmupMs` for `durationMs`. */
  async closedLoop({ senders, warmupMs, durationMs, step }) {
    const ack = new Histogram();
    const errors = {};
    let measured = 0;
    let total = 0;
    const from = now() + warmupMs;
    const to = from + durationMs;
    await Promise.all(
      senders.map(async (id) => {
        const c = clients.get(id);
        let n = 0;
        while (now() < to) {
          const channel = c.channels[n++ % c.channels.length];
          const attrs = nextAttrs(c, channel, step);
          try {
            await c.send(channel, attrs);
            const t1 = now();
            total++;
            if (attrs.t >= from && t1 <= to) {
              measured++;
              ack.record(t1 - attrs.t);
            }
          } catch (err) {
            const k = errorKey(err);
            errors[k] = (errors[k] ?? 0) + 1;
          }
        }
      }),
    );
    return { measured, total, errors, ack_ms: ack.toJSON() };
  },

  /** Delivery counters and send→deliver histograms by step. */
  stats({ reset = false } = {}) {
    let dups = 0;
    let gaps = 0;
    for (const c of clients.values()) for (const r of c.recv.values()) (dups += r.dups), (gaps += r.gaps);
    // SDK clients without a session right now (reconnecting after a drop): their missed messages are still to come.
    let reconnecting = 0;
    for (const c of clients.values()) if (c.conn?.connectionState !== undefined && c.conn.connectionState !== 'connected') reconnecting++;
    const out = { deliveries, dups, gaps, reconnecting, latency: Object.fromEntries([...latency].map(([k, h]) => [k, h.toJSON()])) };
    if (reset) latency.clear();
    return out;
  },

  /**
   * Checks every (client, channel) against what was sent: Parley `expected[channel] = lastIndex` (indexes 0..last
   * each once, in order); baseline `expected[channel] = { sender: count }`.
   */
  verify({ expected }) {
    const out = { pairs: 0, complete: 0, lost: 0, duplicated: 0, out_of_order: 0, samples: [] };
    for (const c of clients.values()) {
      for (const channel of c.channels ?? []) {
        const exp = expected[channel];
        if (exp === undefined || exp === null) continue;
        out.pairs++;
        const r = c.recv.get(channel) ?? { first: null, last: null, count: 0, dups: 0, gaps: 0, senders: new Map() };
        out.duplicated += r.dups;
        out.out_of_order += r.gaps;
        let lost = 0;
        if (target === 'parley') {
          const unique = r.count - r.dups;
          lost = exp + 1 - unique;
          if (r.first !== null && r.first !== 0) lost = Math.max(lost, 1);
        } else {
          for (const [sender, n] of Object.entries(exp)) {
            const s = r.senders?.get(sender);
            lost += n - (s ? s.n - s.dups : 0);
          }
        }
        out.lost += Math.max(0, lost);
        if (lost === 0 && r.dups === 0 && r.gaps === 0) out.complete++;
        else if (out.samples.length < 5) {
          out.samples.push({ client: c.id, channel, first: r.first, last: r.last, count: r.count, dups: r.dups, gaps: r.gaps, expected: exp, state: c.conn?.connectionState });
        }
      }
    }
    return out;
  },

  /** Messages this process's clients sent (sequence numbers handed out), by channel and sender. */
  sentCounts() {
    const out = {};
    for (const c of clients.values()) for (const [channel, n] of c.seq) (out[channel] ??= {})[c.id] = n;
    return out;
  },

  /** From now on, note when each client (re)gets its session (Parley) or `ready` (baseline). */
  mark() {
    markAt = now();
    readyAfterMark.clear();
    recoveryDone.clear();
    return { markAt };
  },

  /**
   * The storm's poll: per client whose id starts with `prefix`, when it was back (session after the mark) and when it
   * held the expected last message of every channel it is in (`expected`, sent once: later polls reuse it). Answers
   * the counts, and the rows (`[id, back at, recovered at]`) only when asked with `all`; a client once complete is not
   * looked at again. So polling every 250 ms costs the load generators next to nothing while the storm runs (it was a
   * walk and an IPC copy of every client's row each time, ~10 % of their CPU during a storm).
   */
  recovery({ expected, prefix = '', all = false }) {
    if (expected) recoveryExpected = expected;
    const rows = [];
    let back = 0;
    let recovered = 0;
    for (const c of clients.values()) {
      if (!c.id.startsWith(prefix)) continue;
      if (recoveryDone.has(c.id)) {
        back++;
        recovered++;
        if (all) rows.push(recoveryDone.get(c.id));
        continue;
      }
      const readyAt = readyAfterMark.get(c.id) ?? null;
      const recoveredAt = recoveredAtOf(c, recoveryExpected ?? {});
      const row = [c.id, readyAt, recoveredAt];
      if (readyAt !== null) back++;
      if (readyAt !== null && recoveredAt !== null) (recovered++, recoveryDone.set(c.id, row));
      if (all) rows.push(row);
    }
    return { rows, back, recovered };
  },

  async subscribe({ pairs, concurrency = 50 }) {
    const errors = {};
    const initial = [];
    let next = 0;
    const worker = async () => {
      while (next < pairs.length) {
        const [id, identity] = pairs[next++];
        try {
          initial.push([id, identity, await clients.get(id).subscribe(identity, id)]);
        } catch (err) {
          const k = errorKey(err);
          errors[k] = (errors[k] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, pairs.length) }, worker));
    return { subscribed: initial.length, errors, initial };
  },

  /** Closes clients (a user going away); notes when. */
  disconnect({ ids }) {
    for (const id of ids) {
      const c = clients.get(id);
      transitions.push([c.identity, false, now()]);
      c.close();
      c.conn = null;
    }
    return { closed: ids.length };
  },

  /** Connects closed clients again (a user coming back); notes when the attempt started. */
  async reconnect({ ids }) {
    const errors = {};
    await Promise.all(
      ids.map(async (id) => {
        const c = clients.get(id);
        transitions.push([c.identity, true, now()]);
        try {
          await connect(c);
        } catch (err) {
          const k = errorKey(err);
          errors[k] = (errors[k] ?? 0) + 1;
        }
      }),
    );
    return { errors };
  },

  presence() {
    return { events: presenceEvents.splice(0), transitions: transitions.splice(0) };
  },

  memory() {
    return { pid: process.pid, ...process.memoryUsage(), clients: clients.size };
  },

  async close() {
    for (const c of clients.values()) {
      try {
        c.close?.();
      } catch {
        // closing anyway
      }
    }
    clients.clear();
    setTimeout(() => process.exit(0), 100);
    return { closed: true };
  },
};

process.on('message', async ({ id, op, args }) => {
  try {
    const result = await ops[op](args ?? {});
    process.send({ id, ok: true, result });
  } catch (err) {
    process.send({ id, ok: false, error: err?.stack ?? String(err) });
  }
});
process.on('disconnect', () => process.exit(0));
