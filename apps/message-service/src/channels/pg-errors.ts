import { QueryFailedError } from 'typeorm';

interface PgDriverError {
  code?: string;
  constraint?: string;
}

function driverErrorOf(err: unknown): PgDriverError | null {
  return err instanceof QueryFailedError ? (err.driverError as PgDriverError) : null;
}

/** A unique constraint failed: that one, named as in the migration. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const pg = driverErrorOf(err);
  return pg?.code === '23505' && pg.constraint === constraint;
}

/**
 * Runs a transaction again when Postgres aborted it to break a lock cycle (40P01) or a serialization conflict.
 * Locks here go channel before user, but another command may take them the other way round; the loser is
 * rolled back whole, so running it again is safe.
 */
export async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const code = driverErrorOf(err)?.code;
      if (attempt >= attempts || (code !== '40P01' && code !== '40001')) throw err;
    }
  }
}
