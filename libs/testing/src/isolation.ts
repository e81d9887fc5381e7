import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const ADMIN_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
/** The machine's NATS and Redis, which every test shares (isolated by prefixes: isolationPrefixes). */
export const NATS_URL = 'nats://127.0.0.1:4222';
export const REDIS_URL = 'redis://127.0.0.1:6379';
/** Set by test/global-setup.ts: the migrated database every test file clones. */
export const TEMPLATE_ENV = 'PARLEY_TEST_TEMPLATE_DB';

export function uniqueId(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A NATS subject prefix (one token) and Redis key prefix owned by one test file. */
export function isolationPrefixes(label = 't'): { natsSubjectPrefix: string; redisKeyPrefix: string } {
  const id = uniqueId(label.replace(/[^a-z0-9]/gi, '').toLowerCase() || 't');
  return { natsSubjectPrefix: id, redisKeyPrefix: `${id}:` };
}

export function databaseUrl(name: string): string {
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A database of this test file's own, cloned from the migrated template (fast: a file copy in Postgres). */
export async function createTestDatabase(label = 'db'): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error(`${TEMPLATE_ENV} is not set: run tests through jest (test/global-setup.ts)`);
  const name = uniqueId(`parley_t_${label.replace(/[^a-z0-9]/gi, '').toLowerCase()}`).slice(0, 60);
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}

/** An empty database (for tests of the migrations themselves). */
export async function createEmptyDatabase(label = 'empty'): Promise<TestDatabase> {
  const name = uniqueId(`parley_t_${label}`).slice(0, 60);
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
