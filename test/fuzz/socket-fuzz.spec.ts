import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import { io, type Socket } from 'socket.io-client';
import { Client, type Message } from '@parley/client';
import { startStack, waitFor, type Stack } from '@parley/testing';
import { snapshotDatabase, snapshotDifferences } from './support/db-snapshot';
import { fuzzSeed, NASTY_STRINGS, Prng } from './support/prng';
import { createSubaccount, seedTenant, type Tenant } from './support/tenant';

/**
 * Seeded fuzzing of the Socket.IO API against a real realtime-gateway: known commands with wrong types, missing,
 * extra and oversize fields, foreign sids and nasty strings; unknown and reserved event names; events without acks
 * and with garbage where the ack goes; raw malformed and stray ACK packets; frames over the size limit.
 * Promises: every ack is a reply envelope with a status under 500; only protocol abuse (oversize frame, malformed
 * packet) closes a socket; the processes stay up and ready; a bystander SDK client is never disturbed; and no row is
 * changed by a rejected command (replayed between two digests of every table).
 * Reproduce with `FUZZ_SEED=<seed> npx jest test/fuzz/socket-fuzz`.
 */
const EVENTS = Number(process.env.FUZZ_SOCKET_EVENTS ?? 10_000);
const SOCKETS_PER_IDENTITY = 3;
const IDENTITIES = ['alice', 'bob', 'mallory', 'carol'] as const;
const ACK_TIMEOUT_MS = 10_000;
const REPORT_DIR = join(__dirname, '..', '..', 'tmp', 'fuzz');

type Category = 'command' | 'unknown' | 'no-ack' | 'garbage-ack' | 'raw' | 'oversize';
/** Categories the server may answer by closing the connection. */
const ABUSE: readonly Category[] = ['raw', 'oversize'];

/** Commands that change nothing: their refusals need no replay. */
const READS = new Set([
  'channel.get', 'channel.subscribed', 'channel.public-descriptors', 'channel.user-descriptors', 'channel.members',
  'message.page', 'typing', 'user.subscribe', 'user.unsubscribe', 'resume', 'token.update',
]);

interface FuzzEvent {
  n: number;
  category: Category;
  identity: (typeof IDENTITIES)[number];
  socketIndex: number;
  name: string;
  args: unknown[];
  /** A raw socket.io packet, sent as is (category raw / garbage-ack). */
  raw?: string;
  expectsAck: boolean;
  ack?: unknown;
  timedOut?: boolean;
}

interface Envelope {
  ok: boolean;
  data?: unknown;
  error?: { code: unknown; message: unknown; status: unknown };
}

function envelopeProblem(reply: unknown): string | null {
  if (typeof reply !== 'object' || reply === null) return `ack is not an object: ${JSON.stringify(reply)}`;
  const r = reply as Envelope;
  if (r.ok === true) return 'data' in r ? null : 'ok ack without data';
  if (r.ok !== false || !r.error) return `ack is not a reply envelope: ${JSON.stringify(reply).slice(0, 200)}`;
  const { code, message, status } = r.error;
  if (typeof code !== 'number' || typeof message !== 'string' || typeof status !== 'number') return `malformed error: ${JSON.stringify(r.error)}`;
  if (status >= 500) return `server error ${status} ${code}: ${message}`;
  return null;
}

class EventGenerator {
  private readonly base: Record<string, () => Record<string, unknown>>;

  constructor(
    private readonly rng: Prng,
    own: Tenant,
    foreign: Tenant,
    private readonly tokens: { valid: string; foreign: string },
  ) {
    const channel = () => rng.pick([own.channelSid, own.channelSid, own.privateChannelSid, 'fuzz-public', foreign.channelSid, `CH${rng.hex(32)}`]);
    const identity = () => rng.pick(['alice', 'bob', 'mallory', 'carol', 'dave', own.userSid, foreign.userSid]);
    const message = () => rng.pick([own.messageSid, foreign.messageSid, `IM${rng.hex(32)}`]);
    const attributes = () => rng.pick([{ a: 1 }, { nested: { list: [1, 2, 3] } }, {}]);
    const page = () => ({ pageSize: rng.int(1, 100), pageToken: rng.chance(0.3) ? rng.pick(['PT0', 'garbage']) : undefined });
    this.base = {
      'channel.create': () => ({ friendlyName: `fuzz ${rng.hex(4)}`, uniqueName: rng.chance(0.5) ? `fuzz-${rng.hex(6)}` : undefined, isPrivate: rng.chance(0.5), attributes: attributes() }),
      'channel.get': () => ({ channel: channel() }),
      'channel.subscribed': page,
      'channel.public-descriptors': page,
      'channel.user-descriptors': page,
      'channel.join': () => ({ channel: channel() }),
      'channel.leave': () => ({ channel: channel() }),
      'channel.decline': () => ({ channel: channel() }),
      'channel.add': () => ({ channel: channel(), identity: identity() }),
      'channel.invite': () => ({ channel: channel(), identity: identity() }),
      'channel.remove-member': () => ({ channel: channel(), identity: identity() }),
      'channel.update': () => ({ channel: channel(), friendlyName: `renamed ${rng.hex(3)}`, uniqueName: rng.chance(0.2) ? null : undefined, attributes: attributes() }),
      'channel.delete': () => ({ channel: channel() }),
      'channel.members': () => ({ channel: channel() }),
      'message.send': () => ({ channel: channel(), body: rng.text(80), attributes: rng.chance(0.3) ? attributes() : undefined, idempotencyKey: rng.hex(rng.pick([8, 16, 32, 64])) }),
      'message.page': () => ({ channel: channel(), pageSize: rng.int(1, 100), anchor: rng.chance(0.5) ? rng.int(0, 100) : undefined, direction: rng.pick(['backwards', 'forward']) }),
      'message.update': () => ({ channel: channel(), message: message(), body: rng.text(40), attributes: rng.chance(0.3) ? attributes() : undefined }),
      'message.remove': () => ({ channel: channel(), message: message() }),
      typing: () => ({ channel: channel() }),
      'consumption.update': () => ({ channel: channel(), index: rng.chance(0.2) ? null : rng.int(0, 50) }),
      'consumption.advance': () => ({ channel: channel(), index: rng.int(0, 50) }),
      'consumption.all': () => ({ channel: channel() }),
      'consumption.none': () => ({ channel: channel() }),
      'user.update': () => ({ friendlyName: rng.text(30), attributes: attributes() }),
      'user.subscribe': () => ({ identity: identity() }),
      'user.unsubscribe': () => ({ identity: identity() }),
      'token.update': () => ({ token: rng.pick([this.tokens.valid, this.tokens.foreign, 'not-a-token', 'eyJhbGciOiJub25lIn0.e30.']) }),
      resume: () => ({ channels: Array.from({ length: rng.int(0, 4) }, () => ({ channel: channel(), lastIndex: rng.chance(0.3) ? null : rng.int(0, 20) })) }),
      'push.register': () => ({ type: rng.pick(['apn', 'fcm', 'gcm']), token: `device-${rng.hex(8)}` }),
      'push.unregister': () => ({ type: rng.pick(['apn', 'fcm', 'gcm']) }),
    };
  }

  next(n: number): FuzzEvent {
    const rng = this.rng;
    const identity = rng.pick(IDENTITIES);
    const socketIndex = rng.int(0, SOCKETS_PER_IDENTITY - 1);
    const roll = rng.next();
    const event = (category: Category, name: string, args: unknown[], expectsAck: boolean, raw?: string): FuzzEvent => ({
      n, category, identity, socketIndex, name, args, expectsAck, raw,
    });
    if (roll < 0.66) return event('command', ...this.command(), true);
    if (roll < 0.8) {
      const name = rng.pick([
        () => rng.text(20),
        () => rng.pick(['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', 'then', 'session', 'messageAdded', 'serverShutdown', 'error']),
        () => `message.${rng.text(6)}`,
        () => 'x'.repeat(rng.int(200, 5000)),
        () => rng.pick(Object.keys(this.base)).toUpperCase(),
      ])();
      return event('unknown', name, [this.wrongValue()], true);
    }
    if (roll < 0.87) {
      const [name, args] = this.command();
      return event('no-ack', name, args, false);
    }
    if (roll < 0.93) {
      const [name, args] = this.command();
      // Garbage where the ack would be: extra arguments that are not functions, or a stray ACK packet.
      if (rng.chance(0.5)) return event('garbage-ack', name, [...args, rng.pick([42, 'ack', null, { ack: true }, [1, 2]]), this.wrongValue()], false);
      return event('garbage-ack', 'ack', [], false, `3${rng.int(0, 2 ** 31)}${JSON.stringify([this.wrongValue()])}`);
    }
    if (roll < 0.97) {
      return event('raw', 'raw', [], false, rng.pick([
        '2[',
        '2{"a":1}',
        '2["message.send"',
        '9',
        '2999999999999999999999["x"]',
        `2${'['.repeat(3000)}${']'.repeat(3000)}`,
        '5-["x",{"_placeholder":true,"num":0}]',
        '2/nonexistent-namespace,["x"]',
        '0/admin,',
        '1',
        `2["channel.get",{"channel":"${'\\u0000'.repeat(4)}"}]`,
      ]));
    }
    const [name, args] = this.command();
    const first = (args[0] ?? {}) as Record<string, unknown>;
    return event('oversize', name, [{ ...first, body: 'A'.repeat(rng.pick([97 * 1024, 200 * 1024])) }], true);
  }

  private command(): [string, unknown[]] {
    const rng = this.rng;
    const name = rng.pick(Object.keys(this.base));
    const payload: Record<string, unknown> = { ...(this.base[name] as () => Record<string, unknown>)() };
    const roll = rng.next();
    if (roll < 0.25) return [name, [payload]]; // plausible as is
    if (roll < 0.35) return [name, [this.wrongValue()]]; // not an object at all
    if (roll < 0.4) return [name, []]; // no payload
    for (const key of Object.keys(payload)) {
      if (rng.chance(0.25)) delete payload[key];
      else if (rng.chance(0.4)) payload[key] = this.wrongValue();
    }
    if (rng.chance(0.3)) payload[rng.pick(['extra', '__proto__', 'constructor', rng.text(10), 'caller', 'actor', 'serviceSid', 'accountSid'])] = this.wrongValue();
    return [name, [payload]];
  }

  private wrongValue(): unknown {
    const rng = this.rng;
    return rng.pick([
      () => rng.pick(NASTY_STRINGS),
      () => rng.text(50),
      () => rng.int(-1e6, 1e6),
      () => rng.pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), Number.MAX_SAFE_INTEGER]),
      () => rng.chance(0.5),
      () => null,
      () => [],
      () => [rng.text(5), rng.int(0, 9)],
      () => ({}),
      () => ({ nested: { deeper: { deepest: rng.text(5) } } }),
      () => JSON.parse(`${'['.repeat(500)}${']'.repeat(500)}`) as unknown,
      () => 'x'.repeat(rng.pick([257, 4097, 40_000])),
      () => ({ toString: 'not a function', valueOf: 1 }),
      () => `IS${rng.hex(32)}`,
    ])();
  }
}

async function openSocket(url: string, token: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true, timeout: 10_000 });
  await new Promise<void>((resolve, reject) => {
    socket.once('session', () => resolve());
    socket.once('connect_error', (err) => reject(err));
    setTimeout(() => reject(new Error('no session within 10 s')), 10_000).unref();
  });
  return socket;
}

/** Sends one event and waits for its ack (or a disconnect, or the ack deadline). */
function deliver(socket: Socket, e: FuzzEvent): Promise<void> {
  return new Promise((resolve) => {
    const engine = (socket.io as unknown as { engine: { write(msg: string): void } }).engine;
    if (e.raw !== undefined) {
      engine.write(e.raw);
      resolve();
      return;
    }
    if (!e.expectsAck) {
      socket.emit(e.name, ...e.args);
      resolve();
      return;
    }
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('disconnect', finish);
      resolve();
    };
    const timer = setTimeout(() => {
      e.timedOut = true;
      finish();
    }, ACK_TIMEOUT_MS);
    socket.once('disconnect', finish);
    socket.emit(e.name, ...e.args, (reply: unknown) => {
      e.ack = reply;
      finish();
    });
  });
}

describe('Socket.IO fuzzing (seeded)', () => {
  let stack: Stack;
  let own: Tenant;
  let foreign: Tenant;
  let tokenFor: (identity: string) => string;
  let foreignToken = '';
  let gatewayUrl: string;
  const open: Socket[] = [];
  let bystander: Client | undefined;

  beforeAll(async () => {
    stack = await startStack({
      label: 'fuzzsock',
      apps: ['message-service', 'presence-service', 'api-gateway', 'realtime-gateway'],
      // The per-socket rate limit is tested elsewhere: here every event must reach validation.
      env: { LOG_LEVEL: 'warn', SOCKET_COMMANDS_PER_SECOND: '10000' },
    });
    gatewayUrl = stack.get('realtime-gateway').url;
    const mine = await createSubaccount(stack, 'socket fuzz own');
    const theirs = await createSubaccount(stack, 'socket fuzz foreign');
    own = await seedTenant(stack, mine.accountSid, mine.authToken, 'fuzz');
    foreign = await seedTenant(stack, theirs.accountSid, theirs.authToken, 'foreign');
    const mint = (t: Tenant, identity: string) => {
      const token = new twilio.jwt.AccessToken(t.accountSid, t.keySid, t.keySecret, { identity, ttl: 3600 });
      token.addGrant(new twilio.jwt.AccessToken.ChatGrant({ serviceSid: t.serviceSid }));
      return token.toJwt();
    };
    tokenFor = (identity) => mint(own, identity);
    await own.rest.chat.v2.services(own.serviceSid).channels(own.channelSid).members.create({ identity: 'carol' });
    foreignToken = mint(foreign, 'alice');
  });

  afterAll(async () => {
    for (const s of open) s.disconnect();
    await bystander?.shutdown().catch(() => undefined);
    await stack?.stop();
  });

  it(`survives ${EVENTS} generated socket events: envelopes under 500, closes only for abuse, bystanders undisturbed`, async () => {
    const seed = fuzzSeed();
    const rng = new Prng(seed);
    const generator = new EventGenerator(rng, own, foreign, { valid: tokenFor('alice'), foreign: foreignToken });
    const events = Array.from({ length: EVENTS }, (_, n) => generator.next(n));

    // A bystander on the same gateway, member of the fixture's public channel: must see none of this.
    const bystanderToken = new twilio.jwt.AccessToken(own.accountSid, own.keySid, own.keySecret, { identity: 'dave', ttl: 3600 });
    bystanderToken.addGrant(new twilio.jwt.AccessToken.ChatGrant({ serviceSid: own.serviceSid }));
    const byChannel = await own.rest.chat.v2.services(own.serviceSid).channels.create({ friendlyName: 'bystander' });
    await own.rest.chat.v2.services(own.serviceSid).channels(byChannel.sid).members.create({ identity: 'dave' });
    bystander = await Client.create(bystanderToken.toJwt(), { url: gatewayUrl, commandTimeout: 10_000 });
    const bystanderStates: string[] = [];
    bystander.on('connectionStateChanged', (state) => bystanderStates.push(state));
    const bystanderSeen: string[] = [];
    bystander.on('messageAdded', (m: Message) => bystanderSeen.push(m.body ?? ''));

    // One lane per socket: events of a socket go one after another, so a close is attributed to what caused it.
    const lanes = new Map<string, FuzzEvent[]>();
    for (const e of events) {
      const key = `${e.identity}#${e.socketIndex}`;
      lanes.set(key, [...(lanes.get(key) ?? []), e]);
    }
    const closes: { cause: FuzzEvent[]; reason: string; recent: FuzzEvent[] }[] = [];
    const started = Date.now();
    await Promise.all(
      [...lanes.entries()].map(async ([key, laneEvents]) => {
        const identity = key.split('#')[0] as string;
        let socket = await openSocket(gatewayUrl, tokenFor(identity));
        open.push(socket);
        let sinceConfirmed: FuzzEvent[] = [];
        let closedReason: string | null = null;
        socket.on('disconnect', (reason) => (closedReason = reason));
        const recent: FuzzEvent[] = [];
        for (const e of laneEvents) {
          recent.push(e);
          if (recent.length > 3) recent.shift();
          await deliver(socket, e);
          sinceConfirmed.push(e);
          if (e.ack !== undefined) sinceConfirmed = [];
          // A DISCONNECT packet is the client leaving the namespace (the server lets the transport go a little later):
          // that client is done, and comes back as a new one.
          if (e.raw === '1') socket.disconnect();
          else if (e.category === 'raw' || e.category === 'garbage-ack' || e.category === 'no-ack') {
            // No answer to wait for: a read-only probe tells whether the socket is still served.
            const probe: FuzzEvent = { ...e, name: 'channel.subscribed', args: [{}], raw: undefined, expectsAck: true, ack: undefined };
            await deliver(socket, probe);
            if (probe.ack !== undefined) sinceConfirmed = [];
          }
          if (e.raw !== '1' && socket.disconnected) {
            closes.push({ cause: sinceConfirmed, reason: closedReason ?? 'unknown', recent: [...recent] });
          }
          if (socket.disconnected) {
            sinceConfirmed = [];
            socket = await openSocket(gatewayUrl, tokenFor(identity));
            open.push(socket);
            closedReason = null;
            socket.on('disconnect', (reason) => (closedReason = reason));
          }
        }
      }),
    );
    const elapsed = Date.now() - started;

    const badAcks = events.filter((e) => e.ack !== undefined && envelopeProblem(e.ack) !== null);
    const unjustifiedCloses = closes.filter((c) => !c.cause.some((e) => ABUSE.includes(e.category)));
    const missingAcks = events.filter((e) => e.expectsAck && e.ack === undefined && !closes.some((c) => c.cause.includes(e)));
    const byCategory: Record<string, number> = {};
    for (const e of events) byCategory[e.category] = (byCategory[e.category] ?? 0) + 1;
    const outcomes: Record<string, number> = {};
    for (const e of events) {
      const key = e.ack === undefined ? (e.expectsAck ? 'no ack' : 'not asked') : (e.ack as Envelope).ok ? 'ok' : `error ${(e.ack as Envelope).error?.code}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }

    // The rejected set: state-changing commands refused with an error ack, replayed between digests of every table.
    let rejected = events.filter((e) => e.category === 'command' && !READS.has(e.name) && (e.ack as Envelope | undefined)?.ok === false);
    const rejectedTotal = rejected.length;
    const replaySockets = new Map<string, Socket>();
    for (const identity of IDENTITIES) {
      const s = await openSocket(gatewayUrl, tokenFor(identity));
      open.push(s);
      replaySockets.set(identity, s);
    }
    let before = await snapshotDatabase(stack.database.url);
    let after = before;
    const stateDependent: FuzzEvent[] = [];
    let replayed: FuzzEvent[] = [];
    for (let round = 0; round < 12; round++) {
      before = await snapshotDatabase(stack.database.url);
      replayed = rejected.map((e) => ({ ...e, ack: undefined, timedOut: undefined }));
      await Promise.all(
        IDENTITIES.map(async (identity) => {
          for (const e of replayed.filter((r) => r.identity === identity)) await deliver(replaySockets.get(identity) as Socket, e);
        }),
      );
      after = await snapshotDatabase(stack.database.url);
      const accepted = replayed.filter((e) => (e.ack as Envelope | undefined)?.ok === true);
      if (accepted.length === 0) break;
      stateDependent.push(...accepted);
      rejected = replayed.filter((e) => !accepted.includes(e));
    }
    const notRefused = replayed.filter((e) => (e.ack as Envelope | undefined)?.ok !== false);

    // The bystander: never dropped, and still served.
    const check = await own.rest.chat.v2.services(own.serviceSid).channels(byChannel.sid).messages.create({ body: 'after the storm' });
    await waitFor(() => bystanderSeen.includes('after the storm'), { timeoutMs: 10_000, description: 'the bystander to receive a message' });
    const ready = await Promise.all(stack.processes.map(async (p) => p.child.exitCode === null && (await fetch(`${p.url}/health/ready`)).status === 200));

    console.log(
      [
        `Socket fuzz: seed=${seed} (0x${seed.toString(16)}) events=${events.length} in ${elapsed} ms over ${lanes.size} sockets`,
        `  by category: ${JSON.stringify(byCategory)}`,
        `  outcomes: ${JSON.stringify(outcomes)}`,
        `  acks with status>=500 or not an envelope=${badAcks.length}, missing acks=${missingAcks.length}, sockets closed by the server=${closes.length} (for abuse: ${closes.length - unjustifiedCloses.length}, otherwise: ${unjustifiedCloses.length})`,
        `  rejected state-changing commands=${rejectedTotal}: refused again on replay with every table unchanged=${replayed.length - notRefused.length}, accepted on replay (state had changed)=${stateDependent.length}, tables changed=${snapshotDifferences(before, after).length}`,
        `  bystander connection changes=${bystanderStates.length}, processes up and ready: ${ready.filter(Boolean).length}/${ready.length}`,
      ].join('\n'),
    );
    mkdirSync(REPORT_DIR, { recursive: true });
    const show = (e: FuzzEvent) => ({ n: e.n, category: e.category, identity: e.identity, name: e.name.slice(0, 80), args: JSON.stringify(e.args).slice(0, 400), raw: e.raw?.slice(0, 200), ack: e.ack });
    writeFileSync(
      join(REPORT_DIR, 'socket-fuzz.json'),
      JSON.stringify(
        {
          seed,
          badAcks: badAcks.map(show),
          missingAcks: missingAcks.map(show),
          unjustifiedCloses: unjustifiedCloses.map((c) => ({ reason: c.reason, cause: c.cause.map(show), recent: c.recent.map(show) })),
          notRefused: notRefused.map(show),
          stateDependent: stateDependent.map(show),
          tablesChanged: snapshotDifferences(before, after),
        },
        null,
        2,
      ),
    );

    expect(check.sid).toMatch(/^IM/);
    expect(badAcks.slice(0, 5).map((e) => `${envelopeProblem(e.ack)} ← ${e.name} ${JSON.stringify(e.args).slice(0, 200)}`)).toEqual([]);
    expect(missingAcks.slice(0, 5).map((e) => `${e.name} ${JSON.stringify(e.args).slice(0, 200)}`)).toEqual([]);
    expect(unjustifiedCloses.slice(0, 5).map((c) => `${c.reason} after ${c.cause.map((e) => `${e.category}:${e.name.slice(0, 40)}`).join(', ')}`)).toEqual([]);
    expect(notRefused.slice(0, 5).map((e) => `${e.name} ${JSON.stringify(e.ack)}`)).toEqual([]);
    expect(snapshotDifferences(before, after)).toEqual([]);
    expect(bystanderStates).toEqual([]);
    expect(ready.every(Boolean)).toBe(true);
  });
});
