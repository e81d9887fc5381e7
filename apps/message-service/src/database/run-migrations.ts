import { DataSource, MigrationExecutor } from 'typeorm';

/** Session advisory lock key shared by every replica: 0x7061726c6579, "parley" in ASCII. */
export const MIGRATION_LOCK_ID = '123563833845113';

/**
 * Runs pending migrations; safe when several replicas start at once. The first replica takes a Postgres advisory
 * lock and migrates; the others wait on the lock, then find nothing pending. The migrations run on the very
 * connection that holds the lock (not `dataSource.runMigrations()`, which would take a second one), so this works
 * with a pool of one, and a crashed holder frees the lock with its connection. Each migration has its own transaction.
 */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const queryRunner = dataSource.createQueryRunner();
  try {
    await queryRunner.connect();
    await queryRunner.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_ID]);
    try {
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'each';
      await executor.executePendingMigrations();
    } finally {
      // Must not hide a migration error; if the unlock fails the connection is dead, and the lock died with it.
      await queryRunner.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    }
  } finally {
    await queryRunner.release();
  }
}
