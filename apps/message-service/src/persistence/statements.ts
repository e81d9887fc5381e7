import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';

/**
 * A statement of the hot paths (a send, a permission check, a handshake), sent to Postgres as a NAMED prepared
 * statement: each pool connection parses and plans it once and then only binds and executes it. TypeORM sends
 * every query unnamed, which Postgres parses and plans on every call: for the permission read of a send that was
 * ~0.4 ms of the backend's ~0.45 ms (docs/benchmarks.md).
 *
 * Only fixed texts belong here (a statement per shape, never one built from variable input), so the statements a
 * connection prepares are few and bounded. The name carries a hash of the text: a changed text is a new statement,
 * never a clash with one a connection prepared before.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

export function statement(purpose: string, text: string): Statement {
  return { name: `parley_${purpose}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`, text };
}

/** Runs prepared statements on TypeORM's own pool (or on a transaction's connection), raw rows out. */
@Injectable()
export class Statements {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The rows of `stmt` with `values`. With a `manager` bound to a transaction, on that transaction's connection;
   * else on any pooled connection. Postgres errors come wrapped as TypeORM's do (QueryFailedError), so the same
   * error helpers apply to both kinds of query.
   */
  async rows<R>(stmt: Statement, values: readonly unknown[], manager?: EntityManager): Promise<R[]> {
    const config: QueryConfig = { name: stmt.name, text: stmt.text, values: values as unknown[] };
    try {
      const runner = manager?.queryRunner;
      if (runner && !runner.isReleased) {
        const client = (await runner.connect()) as PoolClient;
        return (await client.query(config)).rows as R[];
      }
      return (await this.pool().query(config)).rows as R[];
    } catch (err) {
      // A statement Postgres refused carries its SQLSTATE; connection failures pass as they are.
      const code = (err as { code?: unknown } | null)?.code;
      if (err instanceof Error && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) throw new QueryFailedError(stmt.text, values as unknown[], err);
      throw err;
    }
  }

  private pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }
}
