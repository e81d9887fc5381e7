import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import pino from 'pino';
import {
  serviceResourceSchema,
  userResourceSchema,
  type ConnectionOpen,
  type ReachabilityEvent,
  type ServiceResource,
} from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { Metrics } from '@parley/platform';
import { isolationPrefixes, NATS_URL, REDIS_URL, serviceResourceFixture, waitFor } from '@parley/testing';
import { AppModule } from '../../apps/presence-service/src/app.module';
import { presenceConfigSchema, type PresenceConfig } from '../../apps/presence-service/src/config/presence.config';
import { PresenceService } from '../../apps/presence-service/src/presence/presence.service';

/*
 * presence-service over real Redis and NATS: two replicas in one queue group (each with its sweeper running), a
 * 1 s node TTL, and this file's own Redis key prefix and NATS subject prefix. The test plays the gateways.
 */

const NODE_TTL_MS = 1_000;
const silent = pino({ level: 'silent' });

const newServiceSid = () => `IS${randomBytes(16).toString('hex')}`;
const newConnectionId = () => randomBytes(10).toString('base64url');

function serviceResource(sid: string, reachabilityEnabled: boolean): ServiceResource {
  return serviceResourceSchema.parse(
    serviceResourceFixture({ sid, account_sid: `AC${'0'.repeat(32)}`, friendly_name: 'presence', reachability_enabled: reachabilityEnabled }),
  );
}

describe('presence-service', () => {
  let config: PresenceConfig;
  const replicas: INestApplication[] = [];
  let client: NatsTransport;
  let redis: Redis;
  /** Every reachability event published in this file, in arrival order. */
  const events: { serviceSid: string; payload: ReachabilityEvent }[] = [];
  const keepAlive = new Map<string, NodeJS.Timeout>();

  const eventsOf = (serviceSid: string, identity: string) =>
    events.filter((e) => e.serviceSid === serviceSid && e.payload.identity === identity).map((e) => e.payload);
  const onlineHistory = (serviceSid: string, identity: string) =>
    eventsOf(serviceSid, identity)
      .filter((e) => e.reasons.includes('reachabilityOnline'))
      .map((e) => e.is_online);

  const open = (c: Omit<ConnectionOpen, 'reachabilityEnabled'> & { reachabilityEnabled?: boolean }) =>
    client.request('presence.v1.cmd.connection.open', { reachabilityEnabled: true, ...c });
  const close = (c: { serviceSid: string; identity: string; nodeId: string; connectionId: string }) =>
    client.request('presence.v1.cmd.connection.close', c);
  const heartbeat = (nodeId: string, connections?: number) => client.request('presence.v1.cmd.node.heartbeat', { nodeId, connections });
  const query = async (serviceSid: string, identity: string, reachabilityEnabled = true) => {
    const [found] = await client.request('presence.v1.cmd.user.reachability', { serviceSid, identities: [identity], reachabilityEnabled });
    return found;
  };
  /**
   * Flushes the replicas' connections, then ours: every event they published before has reached our subscription.
   * (Events a command causes precede its reply anyway; this covers the sweepers' events.)
   */
  const settled = async () => {
    await Promise.all(replicas.map((app) => app.get(NatsTransport).ping()));
    await client.ping();
  };

  /** Plays a live gateway node: heartbeats well within the TTL until the test ends. */
  const keepNodeAlive = async (nodeId: string) => {
    await heartbeat(nodeId);
    keepAlive.set(nodeId, setInterval(() => void heartbeat(nodeId).catch(() => undefined), NODE_TTL_MS / 5));
  };
  const key = (...parts: string[]) => `presence:${parts.join(':')}`;
  const transitionsCounted = async (transition: string) => {
    let total = 0;
    for (const app of replicas) {
      const metric = await app.get(Metrics).registry.getSingleMetric('parley_presence_transitions_total')?.get();
      for (const v of metric?.values ?? []) if (v.labels.transition === transition) total += v.value;
    }
    return total;
  };

  beforeAll(async () => {
    const { natsSubjectPrefix, redisKeyPrefix } = isolationPrefixes('presence');
    config = presenceConfigSchema.parse({
      LOG_LEVEL: 'error',
      NATS_URL,
      NATS_SUBJECT_PREFIX: natsSubjectPrefix,
      REDIS_URL,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      PRESENCE_NODE_TTL_MS: String(NODE_TTL_MS),
    });
    for (const name of ['a', 'b']) {
      const app = await NestFactory.create(AppModule.forRoot(config, `presence-${name}-${randomBytes(3).toString('hex')}`), { logger: false });
      await app.init();
      replicas.push(app);
    }
    client = new NatsTransport({ servers: NATS_URL, subjectPrefix: natsSubjectPrefix, name: 'presence-spec', logger: silent });
    await client.connect();
    client.subscribePresenceEvents(`recorder-${randomBytes(3).toString('hex')}`, ({ serviceSid, payload }) => {
      events.push({ serviceSid, payload });
    });
    await settled();
    redis = new Redis(REDIS_URL, { keyPrefix: redisKeyPrefix });
  });

  afterAll(async () => {
    for (const timer of keepAlive.values()) clearInterval(timer);
    await client?.drain();
    await Promise.all(replicas.map((app) => app.close()));
    redis?.disconnect();
    // This file's keys, by their full names (a client without the prefix).
    const raw = new Redis(REDIS_URL);
    const keys = await raw.keys(`${config.REDIS_KEY_PREFIX}*`);
    if (keys.length) await raw.del(...keys);
    raw.disconnect();
  });

  describe('connections and the online state', () => {
    it('is online while at least one connection is live, and publishes only the transitions', async () => {
      const serviceSid = newServiceSid();
      const [n1, n2] = ['gw-1', 'gw-2'].map((n) => `${n}-${randomBytes(3).toString('hex')}`) as [string, string];
      const c1 = { serviceSid, identity: 'alice', nodeId: n1, connectionId: newConnectionId() };
      const c2 = { serviceSid, identity: 'alice', nodeId: n2, connectionId: newConnectionId() };
      const onlineBefore = await transitionsCounted('online');

      await open(c1);
      await expect(query(serviceSid, 'alice')).resolves.toEqual({ identity: 'alice', is_online: true, is_notifiable: null });
      await open(c2);
      await open(c2); // a retried report changes nothing
      await close(c1);
      await expect(query(serviceSid, 'alice')).resolves.toMatchObject({ is_online: true });
      await close(c2);
      await close(c2);
      await settled();

      expect(eventsOf(serviceSid, 'alice')).toEqual([
        { identity: 'alice', is_online: true, is_notifiable: null, reasons: ['reachabilityOnline'] },
        { identity: 'alice', is_online: false, is_notifiable: null, reasons: ['reachabilityOnline'] },
      ]);
      await expect(query(serviceSid, 'alice')).resolves.toMatchObject({ is_online: false });
      // Counted on presence-service's metrics (the replica that saw it); nothing else goes online meanwhile.
      await expect(transitionsCounted('online')).resolves.toBe(onlineBefore + 1);
      await expect(redis.exists(key('u', serviceSid, 'alice'), key('c', c1.connectionId), key('c', c2.connectionId))).resolves.toBe(0);
    });

    it('answers null for a user never online, and for every user while reachability is off', async () => {
      const serviceSid = newServiceSid();
      await expect(query(serviceSid, 'nobody')).resolves.toEqual({ identity: 'nobody', is_online: null, is_notifiable: null });

      const off = newServiceSid();
      await open({ serviceSid: off, identity: 'carol', nodeId: 'gw-off', connectionId: newConnectionId(), reachabilityEnabled: false });
      await expect(query(off, 'carol', false)).resolves.toEqual({ identity: 'carol', is_online: null, is_notifiable: null });
    });

    it('publishes nothing for a Service with reachability off; turning it on starts from the live connections', async () => {
      const serviceSid = newServiceSid();
      const nodeId = `gw-${randomBytes(3).toString('hex')}`;
      const dave = { serviceSid, identity: 'dave', nodeId, connectionId: newConnectionId() };
      const erin = { serviceSid, identity: 'erin', nodeId, connectionId: newConnectionId() };
      await open({ ...dave, reachabilityEnabled: false });
      await open({ ...erin, reachabilityEnabled: false });
      await close(erin);
      await settled();
      expect(events.filter((e) => e.serviceSid === serviceSid)).toEqual([]);
      // message-service answers null itself while the flag is off; presence agrees when asked.
      await expect(query(serviceSid, 'dave', false)).resolves.toMatchObject({ is_online: null });

      client.publish(serviceSid, 'service.updated', serviceResource(serviceSid, true));
      // Dave connected before reachability was on, and still is.
      await waitFor(async () => (await query(serviceSid, 'dave'))?.is_online === true, { description: 'reachability turned on' });
      // Erin was last online before it was turned on.
      await expect(query(serviceSid, 'erin')).resolves.toMatchObject({ is_online: null });

      await close(dave);
      await settled();
      expect(onlineHistory(serviceSid, 'dave')).toEqual([false]);
      await expect(query(serviceSid, 'dave')).resolves.toMatchObject({ is_online: false });

      client.publish(serviceSid, 'service.updated', serviceResource(serviceSid, false));
      await waitFor(async () => (await query(serviceSid, 'dave', false))?.is_online === null, { description: 'reachability turned off' });
      await open(dave);
      await settled();
      expect(onlineHistory(serviceSid, 'dave')).toEqual([false]);
    });
  });

  describe('notifiability (user.notifiable from message-service)', () => {
    it('keeps the latest report and publishes its transitions', async () => {
      const serviceSid = newServiceSid();
      const nodeId = `gw-${randomBytes(3).toString('hex')}`;
      await open({ serviceSid, identity: 'frank', nodeId, connectionId: newConnectionId() });

      client.publish(serviceSid, 'user.notifiable', { identity: 'frank', is_notifiable: true, observed_at: 2_000 });
      await waitFor(() => eventsOf(serviceSid, 'frank').some((e) => e.reasons.includes('reachabilityNotifiable')), {
        description: 'notifiable transition',
      });
      expect(eventsOf(serviceSid, 'frank').at(-1)).toEqual({
        identity: 'frank',
        is_online: true,
        is_notifiable: true,
        reasons: ['reachabilityNotifiable'],
      });

      // A report read before the one presence holds (delivered late by another replica) is ignored.
      client.publish(serviceSid, 'user.notifiable', { identity: 'frank', is_notifiable: false, observed_at: 1_000 });
      client.publish(serviceSid, 'user.notifiable', { identity: 'frank', is_notifiable: true, observed_at: 3_000 });
      client.publish(serviceSid, 'user.notifiable', { identity: 'frank', is_notifiable: false, observed_at: 4_000 });
      await waitFor(async () => (await query(serviceSid, 'frank'))?.is_notifiable === false, { description: 'not notifiable' });
      await settled();
      expect(eventsOf(serviceSid, 'frank').map((e) => e.is_notifiable)).toEqual([null, true, false]);
    });

    it('forgets a deleted user', async () => {
      const serviceSid = newServiceSid();
      client.publish(serviceSid, 'user.notifiable', { identity: 'gina', is_notifiable: true, observed_at: Date.now() });
      await waitFor(async () => (await query(serviceSid, 'gina'))?.is_notifiable === true, { description: 'notifiable' });
      const removed = userResourceSchema.parse({
        sid: `US${'1'.repeat(32)}`,
        account_sid: `AC${'0'.repeat(32)}`,
        service_sid: serviceSid,
        attributes: '{}',
        friendly_name: null,
        role_sid: null,
        identity: 'gina',
        is_online: null,
        is_notifiable: null,
        date_created: '2025-01-01T00:00:00Z',
        date_updated: '2025-01-01T00:00:00Z',
        joined_channels_count: 0,
      });
      client.publish(serviceSid, 'user.removed', removed);
      await waitFor(async () => (await query(serviceSid, 'gina'))?.is_notifiable === null, { description: 'user forgotten' });
    });
  });

  describe('atomicity', () => {
    it('ends a burst of 1,000 interleaved connects and disconnects on 3 nodes, served by 2 replicas, in the exact state', async () => {
      const serviceSid = newServiceSid();
      const nodes = ['x', 'y', 'z'].map((n) => `burst-${n}-${randomBytes(3).toString('hex')}`);
      const users = Array.from({ length: 25 }, (_, i) => `user-${i}`);
      // 600 connections; the first 400 also close: 1,000 reports. Each connection's close follows its open
      // (as the gateway orders them); everything else runs at once, in shuffled order.
      const connections = Array.from({ length: 600 }, (_, i) => ({
        serviceSid,
        identity: users[i % users.length] as string,
        nodeId: nodes[(i * 7) % nodes.length] as string,
        connectionId: newConnectionId(),
        closes: i < 400,
      }));
      const order = [...connections].sort(() => Math.random() - 0.5);
      // Live gateways: nothing is swept while the state is checked.
      for (const nodeId of nodes) await keepNodeAlive(nodeId);
      await Promise.all(
        order.map(async ({ closes, ...c }) => {
          await open(c);
          if (closes) await close(c);
        }),
      );
      await settled();

      const live = connections.filter((c) => !c.closes);
      for (const identity of users) {
        const expected = live.filter((c) => c.identity === identity).map((c) => c.connectionId).sort();
        expect((await redis.smembers(key('u', serviceSid, identity))).sort()).toEqual(expected);
        await expect(query(serviceSid, identity)).resolves.toMatchObject({ is_online: expected.length > 0 });
        // Transitions alternate in Redis, so whatever the interleaving, onlines minus offlines is the final state.
        const history = onlineHistory(serviceSid, identity);
        expect(history.filter((o) => o).length - history.filter((o) => !o).length).toBe(expected.length > 0 ? 1 : 0);
      }
      for (const nodeId of nodes) {
        const expected = live.filter((c) => c.nodeId === nodeId).map((c) => c.connectionId).sort();
        expect((await redis.smembers(key('nc', nodeId))).sort()).toEqual(expected);
      }
      for (const c of connections) {
        await expect(redis.hget(key('c', c.connectionId), 'id')).resolves.toBe(c.closes ? null : c.identity);
      }
    });
  });

  describe('dead nodes', () => {
    it("removes a crashed node's connections and publishes each offline once, with two sweepers", async () => {
      const serviceSid = newServiceSid();
      const dead = `dead-${randomBytes(3).toString('hex')}`;
      const alive = `alive-${randomBytes(3).toString('hex')}`;
      await keepNodeAlive(alive);

      await open({ serviceSid, identity: 'hank', nodeId: dead, connectionId: newConnectionId() });
      await open({ serviceSid, identity: 'iris', nodeId: dead, connectionId: newConnectionId() });
      const irisElsewhere = newConnectionId();
      await open({ serviceSid, identity: 'iris', nodeId: alive, connectionId: irisElsewhere });
      const lastBeat = Date.now();

      // The dead node never beats again: within TTL + one sweep interval its users are offline.
      await waitFor(() => onlineHistory(serviceSid, 'hank').includes(false), { timeoutMs: 15_000, description: 'hank offline' });
      const ghostMs = Date.now() - lastBeat;
      await waitFor(async () => !(await redis.sismember(key('nodes'), dead)), { description: 'dead node forgotten' });
      await settled();

      expect(onlineHistory(serviceSid, 'hank')).toEqual([true, false]);
      expect(onlineHistory(serviceSid, 'iris')).toEqual([true]);
      await expect(redis.smembers(key('u', serviceSid, 'iris'))).resolves.toEqual([irisElsewhere]);
      await expect(redis.exists(key('nc', dead), key('n', dead), key('u', serviceSid, 'hank'))).resolves.toBe(0);
      process.stdout.write(`presence: crashed node's user offline ${ghostMs} ms after its last report (node TTL ${NODE_TTL_MS} ms)\n`);
    });

    it('sweeps a large dead node from both replicas at once, each offline published exactly once', async () => {
      const serviceSid = newServiceSid();
      const dead = `big-${randomBytes(3).toString('hex')}`;
      const users = Array.from({ length: 1_200 }, (_, i) => `crowd-${i}`);
      for (let i = 0; i < users.length; i += 200) {
        await Promise.all(
          users.slice(i, i + 200).map((identity) => open({ serviceSid, identity, nodeId: dead, connectionId: newConnectionId() })),
        );
      }
      await waitFor(async () => (await redis.exists(key('n', dead))) === 0, { description: 'liveness expired' });
      const [a, b] = replicas.map((app) => app.get(PresenceService)) as [PresenceService, PresenceService];
      // Explicit sweeps race each other and the replicas' own timers.
      await waitFor(
        async () => {
          await Promise.all([a.sweep(), b.sweep(), a.sweep(), b.sweep()]);
          return !(await redis.sismember(key('nodes'), dead));
        },
        { description: 'node swept' },
      );
      // The last sweep's events are published just after its script removed the node.
      await waitFor(() => users.every((identity) => onlineHistory(serviceSid, identity).length >= 2), { description: 'every offline' });
      await settled();

      for (const identity of users) expect(onlineHistory(serviceSid, identity)).toEqual([true, false]);
      await expect(redis.exists(key('nc', dead))).resolves.toBe(0);
    });
  });

  describe('clean shutdown (drain)', () => {
    it('keeps a draining node’s users online while they reconnect elsewhere; the others go offline after the grace', async () => {
      const serviceSid = newServiceSid();
      const draining = `drain-${randomBytes(3).toString('hex')}`;
      const other = `other-${randomBytes(3).toString('hex')}`;
      await keepNodeAlive(other);
      await open({ serviceSid, identity: 'jack', nodeId: draining, connectionId: newConnectionId() });
      await open({ serviceSid, identity: 'kate', nodeId: draining, connectionId: newConnectionId() });

      await expect(client.request('presence.v1.cmd.node.drain', { nodeId: draining })).resolves.toEqual({ graceMs: NODE_TTL_MS });
      // The gateway now disconnects its sockets without reporting them; jack reconnects to another replica.
      await expect(query(serviceSid, 'jack')).resolves.toMatchObject({ is_online: true });
      await open({ serviceSid, identity: 'jack', nodeId: other, connectionId: newConnectionId() });

      await waitFor(() => onlineHistory(serviceSid, 'kate').includes(false), { timeoutMs: 15_000, description: 'kate offline after the grace' });
      await waitFor(async () => !(await redis.sismember(key('nodes'), draining)), { description: 'drained node swept' });
      await settled();
      expect(onlineHistory(serviceSid, 'jack')).toEqual([true]);
      expect(onlineHistory(serviceSid, 'kate')).toEqual([true, false]);
      await expect(query(serviceSid, 'jack')).resolves.toMatchObject({ is_online: true });
    });
  });

  describe('resync', () => {
    it('asks a node presence lost track of for its connections, and restores them from its list', async () => {
      const serviceSid = newServiceSid();
      const nodeId = `stalled-${randomBytes(3).toString('hex')}`;
      const kept = { serviceSid, identity: 'liam', nodeId, connectionId: newConnectionId() };
      const gone = { serviceSid, identity: 'mona', nodeId, connectionId: newConnectionId() };
      await expect(open(kept)).resolves.toEqual({ resync: true }); // first report of a node not yet beating
      await expect(open(gone)).resolves.toEqual({ resync: false });
      await expect(heartbeat(nodeId, 2)).resolves.toEqual({ resync: false, ttlMs: NODE_TTL_MS });
      await expect(heartbeat(nodeId, 3)).resolves.toMatchObject({ resync: true }); // counts disagree

      // The node stalls past its TTL and is swept, though its sockets live on.
      await waitFor(() => onlineHistory(serviceSid, 'liam').includes(false), { timeoutMs: 15_000, description: 'swept' });
      await waitFor(async () => !(await redis.sismember(key('nodes'), nodeId)), { description: 'node forgotten' });
      await expect(heartbeat(nodeId, 1)).resolves.toMatchObject({ resync: true });

      // Its list now holds only liam (mona disconnected meanwhile); a stale record on the node is pruned.
      const stale = { serviceSid, identity: 'nina', nodeId, connectionId: newConnectionId() };
      await open(stale);
      const syncId = randomBytes(4).toString('hex');
      await client.request('presence.v1.cmd.node.sync', { nodeId, syncId, connections: [], done: false });
      await client.request('presence.v1.cmd.node.sync', { nodeId, syncId, connections: [kept], done: true });
      await settled();

      expect(onlineHistory(serviceSid, 'liam')).toEqual([true, false, true]);
      expect(onlineHistory(serviceSid, 'mona')).toEqual([true, false]);
      expect(onlineHistory(serviceSid, 'nina')).toEqual([true, false]);
      await expect(redis.smembers(key('nc', nodeId))).resolves.toEqual([kept.connectionId]);
      await expect(heartbeat(nodeId, 1)).resolves.toMatchObject({ resync: false });
    });
  });
});
