import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../apps/message-service/src/database/data-source-options';
import { runMigrations } from '../apps/message-service/src/database/run-migrations';
import { ADMIN_DATABASE_URL, databaseUrl, TEMPLATE_ENV, uniqueId } from '../libs/testing/src/isolation';

/**
 * Migrates one template database per test run; each test file clones it (createTestDatabase),
 * so files never share rows and never wait for migrations.
 */
export default async function globalSetup(): Promise<void> {
  const name = uniqueId('parley_tpl');
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`Postgres is not reachable at ${ADMIN_DATABASE_URL} (${(err as Error).message}); start it (see README)`);
  }
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(dataSourceOptions(databaseUrl(name), 1));
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  process.env[TEMPLATE_ENV] = name;
}
