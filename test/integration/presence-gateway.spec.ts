import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { ReachabilityEvent } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { isolationPrefixes, NATS_URL, REDIS_URL, waitFor } from '@parley/testing';
import { AppModule } from '../../apps/presence-service/src/app.module';
import { presenceConfigSchema } from '../../apps/presence-service/src/config/presence.config';
import { PresenceReporter } from '../../apps/realtime-gateway/src/presence/presence-reporter';
import type { SocketSession } from '../../apps/realtime-gateway/src/session/socket-session';

/*
 * The gateway's PresenceReporter against a real presence-service (real Redis and NATS, 1 s node TTL): report
 * ordering, the resync after presence lost the node's state, and the drain of a clean shutdown.
 */

const NODE_TTL_MS = 1_000;
const silent = pino({ level: 'silent' });

describe('realtime-gateway PresenceReporter with presence-service', () => {
  const { natsSubjectPrefix, redisKeyPrefix } = isolationPrefixes('presencegw');
  const serviceSid = `IS${randomBytes(16).toString('hex')}`;
  const nodeId = `gw-${randomBytes(3).toString('hex')}`;
  let presence: INestApplication;
  let nats: NatsTransport;
  let redis: Redis;
  let reporter: PresenceReporter;
  const events: ReachabilityEvent[] = [];
  /** The sockets the test's "gateway" holds: socket id → identity. */
  const sockets = new Map<string, string>();

  const session = (identity: string): SocketSession => ({
    accountSid: `AC${'0'.repeat(32)}`,
    serviceSid,
    identity,
    userSid: `US${'0'.repeat(32)}`,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    reachabilityEnabled: true,
    roleSid: null,
  });
  const connect = (identity: string) => {
    const socketId = randomBytes(10).toString('base64url');
    sockets.set(socketId, identity);
    reporter.connected(session(identity), socketId);
    return socketId;
  };
  const disconnect = (socketId: string) => {
    reporter.disconnected(session(sockets.get(socketId) as string), socketId);
    sockets.delete(socketId);
  };
  const nodeConnections = async () => (await redis.smembers(`presence:nc:${nodeId}`)).sort();
  const expectedConnections = () => [...sockets.keys()].sort();
  const onlineHistory = (identity: string) =>
    events.filter((e) => e.identity === identity && e.reasons.includes('reachabilityOnline')).map((e) => e.is_online);

  beforeAll(async () => {
    const config = presenceConfigSchema.parse({
      LOG_LEVEL: 'error',
      NATS_URL,
      NATS_SUBJECT_PREFIX: natsSubjectPrefix,
      REDIS_URL,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      PRESENCE_NODE_TTL_MS: String(NODE_TTL_MS),
    });
    presence = await NestFactory.create(AppModule.forRoot(config, 'presence-gw-spec'), { logger: false });
    await presence.init();
    nats = new NatsTransport({ servers: NATS_URL, subjectPrefix: natsSubjectPrefix, name: 'presence-gw-spec', logger: silent });
    await nats.connect();
    nats.subscribePresenceEvents('recorder', ({ payload }) => {
      events.push(payload);
    });
    await nats.ping();
    redis = new Redis(REDIS_URL, { keyPrefix: redisKeyPrefix });
    reporter = new PresenceReporter(nats, { service: 'realtime-gateway', nodeId, logLevel: 'silent' }, silent);
    await reporter.onApplicationBootstrap();
  });

  afterAll(async () => {
    await reporter?.onModuleDestroy();
    await nats?.drain();
    await presence?.close();
    redis?.disconnect();
    const raw = new Redis(REDIS_URL);
    const keys = await raw.keys(`${redisKeyPrefix}*`);
    if (keys.length) await raw.del(...keys);
    raw.disconnect();
  });

  it('reports connects and disconnects in order, even back to back', async () => {
    const flicker = connect('olga');
    disconnect(flicker); // before its open was even sent
    for (let i = 0; i < 200; i++) connect(`user-${i % 40}`);
    for (const socketId of [...sockets.keys()].slice(0, 100)) disconnect(socketId);

    await waitFor(async () => JSON.stringify(await nodeConnections()) === JSON.stringify(expectedConnections()), {
      description: "presence to hold exactly the node's sockets",
    });
    await waitFor(() => onlineHistory('olga').length === 2, { description: 'olga online then offline' });
    expect(onlineHistory('olga')).toEqual([true, false]);
    await expect(redis.smembers(`presence:u:${serviceSid}:olga`)).resolves.toEqual([]);
  });

  it("resyncs its connections when presence has lost the node's state", async () => {
    const identities = new Set(sockets.values());
    // Presence forgets everything about this node (a Redis without persistence restarted, say).
    const keys = [`presence:n:${nodeId}`, `presence:nc:${nodeId}`, ...[...sockets.keys()].map((id) => `presence:c:${id}`)];
    for (const identity of identities) keys.push(`presence:u:${serviceSid}:${identity}`);
    await redis.del(...keys);

    // The next heartbeat finds the node unknown and the reporter sends its whole list.
    await waitFor(async () => JSON.stringify(await nodeConnections()) === JSON.stringify(expectedConnections()), {
      description: 'the node resynced',
    });
    for (const identity of identities) {
      const expected = [...sockets].filter(([, who]) => who === identity).map(([id]) => id).sort();
      expect((await redis.smembers(`presence:u:${serviceSid}:${identity}`)).sort()).toEqual(expected);
    }
  });

  it('drains on a clean shutdown: the sockets it then drops stay online for the grace, then go offline', async () => {
    const paula = connect('paula');
    await waitFor(() => onlineHistory('paula').length === 1, { description: 'paula online' });

    await reporter.onModuleDestroy();
    disconnect(paula); // the shutdown disconnects every socket; none of it is reported
    const [found] = await nats.request('presence.v1.cmd.user.reachability', { serviceSid, identities: ['paula'], reachabilityEnabled: true });
    expect(found?.is_online).toBe(true);

    // Nobody reconnects elsewhere: once the grace has passed the sweeper takes the node's connections.
    await waitFor(() => onlineHistory('paula').length === 2, { timeoutMs: 15_000, description: 'paula offline after the grace' });
    expect(onlineHistory('paula')).toEqual([true, false]);
    await waitFor(async () => (await nodeConnections()).length === 0, { description: 'the drained node swept' });
  });
});
