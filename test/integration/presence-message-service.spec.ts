import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import type { Caller, CommandRequest, CommandSubject } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { createTestDatabase, isolationPrefixes, NATS_URL, REDIS_URL, waitFor, type TestDatabase } from '@parley/testing';
import { AppModule as MessageAppModule } from '../../apps/message-service/src/app.module';
import type { MessageConfig } from '../../apps/message-service/src/config/message.config';
import { AppModule as PresenceAppModule } from '../../apps/presence-service/src/app.module';
import { presenceConfigSchema } from '../../apps/presence-service/src/config/presence.config';
import { messageConfig, silent } from './message-service/harness';

/*
 * Reachability through message-service: Fetch User asks presence-service (real NATS, Redis, Postgres), and push
 * binding changes reach presence as `user.notifiable`.
 */


describe('message-service reachability with presence-service', () => {
  const { natsSubjectPrefix, redisKeyPrefix } = isolationPrefixes('presencems');
  let db: TestDatabase;
  let config: MessageConfig;
  const apps: INestApplication[] = [];
  let client: NatsTransport;
  let serviceSid: string;
  const nodeId = `gw-${randomBytes(3).toString('hex')}`;

  const system = (): Caller => ({ accountSid: config.PARLEY_ACCOUNT_SID, actor: { kind: 'system' }, requestId: randomBytes(4).toString('hex') });
  const asUser = (identity: string): Caller => ({ ...system(), serviceSid, actor: { kind: 'user', identity } });
  const send = <S extends CommandSubject>(subject: S, payload: CommandRequest<S>) => client.request(subject, payload);
  const fetchUser = (identity: string) => send('chat.v1.cmd.user.fetch', { caller: system(), params: { ServiceSid: serviceSid, Sid: identity } });
  const reachability = async (identity: string) => {
    const { is_online, is_notifiable } = await fetchUser(identity);
    return { is_online, is_notifiable };
  };
  const setReachability = (on: boolean) =>
    send('chat.v1.cmd.service.update', { caller: system(), params: { Sid: serviceSid, ReachabilityEnabled: on } });
  const register = (identity: string, endpoint: string) =>
    send('chat.v1.cmd.binding.register', { caller: asUser(identity), params: { ServiceSid: serviceSid, BindingType: 'fcm', Endpoint: endpoint } });
  /** As a gateway reports a socket, with the flag its handshake read. */
  const connect = (identity: string, reachabilityEnabled: boolean) => {
    const connectionId = randomBytes(8).toString('hex');
    return send('presence.v1.cmd.connection.open', { serviceSid, identity, nodeId, connectionId, reachabilityEnabled }).then(() => connectionId);
  };

  beforeAll(async () => {
    db = await createTestDatabase('presencems');
    config = messageConfig(db, natsSubjectPrefix);
    const presenceConfig = presenceConfigSchema.parse({
      LOG_LEVEL: 'error',
      NATS_URL,
      NATS_SUBJECT_PREFIX: natsSubjectPrefix,
      REDIS_URL,
      REDIS_KEY_PREFIX: redisKeyPrefix,
    });
    apps.push(await NestFactory.create(MessageAppModule.forRoot(config, 'ms-presence-spec'), { logger: false }));
    apps.push(await NestFactory.create(PresenceAppModule.forRoot(presenceConfig, 'presence-ms-spec'), { logger: false }));
    for (const app of apps) await app.init();
    client = new NatsTransport({ servers: NATS_URL, subjectPrefix: natsSubjectPrefix, name: 'presence-ms-spec', logger: silent });
    await client.connect();

    serviceSid = (await send('chat.v1.cmd.service.create', { caller: system(), params: { FriendlyName: 'reachability' } })).sid;
    for (const identity of ['alice', 'bob', 'carol']) {
      await send('chat.v1.cmd.user.create', { caller: system(), params: { ServiceSid: serviceSid, Identity: identity } });
    }
  });

  afterAll(async () => {
    await client?.drain();
    await Promise.all(apps.map((app) => app.close()));
    await db?.drop();
    const raw = new Redis(REDIS_URL);
    const keys = await raw.keys(`${redisKeyPrefix}*`);
    if (keys.length) await raw.del(...keys);
    raw.disconnect();
  });

  it('answers null while the Service has reachability off, whatever presence knows', async () => {
    await connect('alice', false);
    await expect(reachability('alice')).resolves.toEqual({ is_online: null, is_notifiable: null });
  });

  it('answers from presence once it is on; lists stay null', async () => {
    await setReachability(true);
    // alice connected before reachability was turned on, and still is.
    await waitFor(async () => (await reachability('alice')).is_online === true, { description: 'alice online' });
    await expect(reachability('bob')).resolves.toEqual({ is_online: null, is_notifiable: null }); // never online

    const connection = await connect('bob', true);
    await expect(reachability('bob')).resolves.toEqual({ is_online: true, is_notifiable: null });
    await send('presence.v1.cmd.connection.close', { serviceSid, identity: 'bob', nodeId, connectionId: connection });
    await expect(reachability('bob')).resolves.toEqual({ is_online: false, is_notifiable: null });

    const page = await send('chat.v1.cmd.user.list', { caller: system(), params: { ServiceSid: serviceSid } });
    expect(page.items.map((u) => [u.is_online, u.is_notifiable])).toEqual(page.items.map(() => [null, null]));
  });

  it('follows push bindings: registration, takeover of a device by another user, and deletion', async () => {
    await register('alice', 'device-1');
    await waitFor(async () => (await reachability('alice')).is_notifiable === true, { description: 'alice notifiable' });

    // Carol signs in on alice's only device: the binding moves, and alice has none left.
    const binding = await register('carol', 'device-1');
    await waitFor(async () => (await reachability('carol')).is_notifiable === true, { description: 'carol notifiable' });
    await waitFor(async () => (await reachability('alice')).is_notifiable === false, { description: 'alice no longer notifiable' });

    await send('chat.v1.cmd.binding.delete', { caller: system(), params: { ServiceSid: serviceSid, Sid: binding.sid } });
    await waitFor(async () => (await reachability('carol')).is_notifiable === false, { description: 'carol no longer notifiable' });

    await register('bob', 'device-2');
    await waitFor(async () => (await reachability('bob')).is_notifiable === true, { description: 'bob notifiable' });
    await send('chat.v1.cmd.binding.unregister', { caller: asUser('bob'), params: { ServiceSid: serviceSid, BindingType: 'fcm' } });
    await waitFor(async () => (await reachability('bob')).is_notifiable === false, { description: 'bob unregistered' });
  });
});
