import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import pino from 'pino';
import { ParleyError, type Caller, type CommandReply, type CommandRequest, type CommandSubject, type EventName } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { createEmptyDatabase, createTestDatabase, isolationPrefixes, NATS_URL, type TestDatabase } from '@parley/testing';
import { AppModule } from '../../../apps/message-service/src/app.module';
import { type MessageConfig, messageConfigSchema } from '../../../apps/message-service/src/config/message.config';

/*
 * message-service in-process against the machine's real Postgres and NATS, as the specs of this folder drive it:
 * a database of its own, a NATS subject prefix of its own, and a NatsTransport client speaking the contracts.
 */

export const silent = pino({ level: 'silent' });

export interface Failure {
  code: number;
  status: number;
  message: string;
}

/** The ParleyError a command answered (code, status and message); throws when it succeeded. */
export async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ParleyError) return { code: err.code, status: err.status, message: err.message };
    throw err;
  }
  throw new Error('expected the command to fail');
}

/** The code and status of the ParleyError a command answered, without its message. */
export async function failureCodeOf(promise: Promise<unknown>): Promise<{ code: number; status: number }> {
  const { code, status } = await failureOf(promise);
  return { code, status };
}

/** A message-service configuration on `db` and the NATS subject prefix `prefix`, with a fresh bootstrap account. */
export function messageConfig(db: TestDatabase, prefix: string, overrides: Partial<Record<keyof MessageConfig, string>> = {}): MessageConfig {
  return messageConfigSchema.parse({
    LOG_LEVEL: 'error',
    NATS_URL,
    NATS_SUBJECT_PREFIX: prefix,
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '5',
    PARLEY_ACCOUNT_SID: `AC${randomBytes(16).toString('hex')}`,
    PARLEY_AUTH_TOKEN: randomBytes(16).toString('hex'),
    PARLEY_SECRET_KEY: randomBytes(32).toString('hex'),
    // Suites send far faster into one channel than Twilio's 30/s; the limit's own spec sets its value.
    CHANNEL_ACTIONS_PER_SECOND: '100000',
    ...overrides,
  });
}

export interface Instance {
  app: INestApplication;
  /** Its HTTP side (health, metrics) on an ephemeral port of 127.0.0.1. */
  url: string;
}

/** Boots the message-service AppModule in-process and listens on an ephemeral port. */
export async function bootMessageService(config: MessageConfig): Promise<Instance> {
  const app = await NestFactory.create(AppModule.forRoot(config, `test-${randomBytes(3).toString('hex')}`), { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}` };
}

export interface CollectedEvent {
  name: EventName;
  serviceSid: string;
  payload: unknown;
}

export interface MessageServiceOptions {
  /** An empty database the app migrates itself, instead of a clone of the migrated template. */
  empty?: boolean;
  /** DATABASE_POOL_SIZE (5 unless told). */
  poolSize?: number;
  /** More settings (environment variable values), over the harness' own. */
  env?: Partial<Record<keyof MessageConfig, string>>;
}

export interface MessageService extends Instance {
  db: TestDatabase;
  config: MessageConfig;
  nats: NatsTransport;
  pg: Client;
  /** Every chat event published under the prefix, in the order received. */
  events: CollectedEvent[];
  /** Every account event published under the prefix, in the order received. */
  accountEvents: { accountSid: string; reason: string }[];
  /** A system caller (as the REST gateway sends), of the bootstrap account unless told. */
  system(accountSid?: string): Caller;
  /** An SDK user of the bootstrap account (as the realtime gateway sends), with a session role when given. */
  sdkUser(serviceSid: string, identity: string, roleSid?: string): Caller;
  send<S extends CommandSubject>(subject: S, payload: CommandRequest<S>): Promise<CommandReply<S>>;
  stop(): Promise<void>;
}

/**
 * Starts message-service on a database and NATS prefix of its own (named after `label`), with a NATS client
 * collecting events and a pg client on the same database. `stop()` undoes it all.
 */
export async function startMessageService(label: string, options: MessageServiceOptions = {}): Promise<MessageService> {
  const db = options.empty ? await createEmptyDatabase(label) : await createTestDatabase(label);
  const { natsSubjectPrefix } = isolationPrefixes(label);
  const config = messageConfig(db, natsSubjectPrefix, { DATABASE_POOL_SIZE: String(options.poolSize ?? 5), ...options.env });
  const started: Partial<MessageService> = { db, config };
  try {
    Object.assign(started, await bootMessageService(config));
    const nats = new NatsTransport({ servers: NATS_URL, subjectPrefix: natsSubjectPrefix, name: `${label}-spec`, logger: silent });
    started.nats = nats;
    await nats.connect();
    const events: CollectedEvent[] = [];
    const accountEvents: { accountSid: string; reason: string }[] = [];
    nats.subscribeEvents(undefined, (event) => {
      events.push({ name: event.name, serviceSid: event.serviceSid, payload: event.payload });
    });
    nats.subscribeAccountEvents(({ accountSid, payload }) => {
      accountEvents.push({ accountSid, reason: payload.reason });
    });
    await nats.ping();
    const pg = new Client({ connectionString: db.url });
    started.pg = pg;
    await pg.connect();

    const system = (accountSid = config.PARLEY_ACCOUNT_SID): Caller => ({
      accountSid,
      actor: { kind: 'system' },
      requestId: randomBytes(4).toString('hex'),
    });
    const sdkUser = (serviceSid: string, identity: string, roleSid?: string): Caller => ({
      accountSid: config.PARLEY_ACCOUNT_SID,
      serviceSid,
      actor: { kind: 'user', identity, ...(roleSid && { roleSid }) },
      requestId: randomBytes(4).toString('hex'),
    });
    return {
      ...(started as Instance & { db: TestDatabase; config: MessageConfig }),
      nats,
      pg,
      events,
      accountEvents,
      system,
      sdkUser,
      send: (subject, payload) => nats.request(subject, payload),
      stop: () => stop(started),
    };
  } catch (err) {
    await stop(started);
    throw err;
  }
}

async function stop(started: Partial<MessageService>): Promise<void> {
  await started.nats?.drain();
  await started.app?.close();
  await started.pg?.end();
  await started.db?.drop();
}
