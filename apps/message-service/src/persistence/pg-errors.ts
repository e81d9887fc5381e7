import { QueryFailedError } from 'typeorm';

interface PgDriverError {
  code?: string;
  constraint?: string;
}

function driverErrorOf(err: unknown): PgDriverError | null {
  return err instanceof QueryFailedError ? (err.driverError as PgDriverError) : null;
}

/** A unique constraint failed (optionally: that one, by its explicit name from the migration). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const pg = driverErrorOf(err);
  return pg?.code === '23505' && (constraint === undefined || pg.constraint === constraint);
}

/** Postgres aborted the transaction to break a lock cycle (or a serialization conflict): safe to run it again. */
export function isRetryableConflict(err: unknown): boolean {
  const code = driverErrorOf(err)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Runs a transaction again when Postgres aborted it to break a lock cycle (40P01) or a serialization conflict.
 * Commands that lock rows of several tables (a channel and its user, or a user, its channels and its members) can
 * meet another command locking the same rows in another order; the loser is rolled back whole, so running it
 * again is safe.
 */
export async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !isRetryableConflict(err)) throw err;
    }
  }
}

/** A foreign key failed: the parent row (e.g. the Service) was deleted while this command ran. */
export function isForeignKeyViolation(err: unknown): boolean {
  return driverErrorOf(err)?.code === '23503';
}
