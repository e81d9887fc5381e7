import 'reflect-metadata';
import { DataSource, QueryFailedError } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@parley/testing';
import { dataSourceOptions } from '../../../apps/message-service/src/database/data-source-options';
import { statement, Statements } from '../../../apps/message-service/src/persistence/statements';
import { isUniqueViolation } from '../../../apps/message-service/src/persistence/pg-errors';

/*
 * The hot paths' statements go to Postgres as named prepared statements on TypeORM's own pool: planned once per
 * connection, bound and executed afterwards. One pool connection here, so pg_prepared_statements (a per-session view)
 * is read on the connection that prepared them.
 */
describe('Statements (named prepared statements on the TypeORM pool)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let statements: Statements;

  beforeAll(async () => {
    db = await createTestDatabase('statements');
    dataSource = await new DataSource(dataSourceOptions(db.url, 1)).initialize();
    statements = new Statements(dataSource);
    await dataSource.query('CREATE TABLE probe (id int PRIMARY KEY, label text NOT NULL)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const insert = statement('probe_insert', 'INSERT INTO probe (id, label) VALUES ($1, $2) RETURNING id, label');
  const byId = statement('probe_by_id', 'SELECT id, label FROM probe WHERE id = $1');

  it('names each statement by purpose and text, so a changed text is another statement', () => {
    expect(insert.name).toMatch(/^parley_probe_insert_[0-9a-f]{12}$/);
    expect(statement('probe_insert', `${insert.text} `).name).not.toBe(insert.name);
    expect(statement('probe_insert', insert.text)).toEqual(insert);
  });

  it('prepares a statement once on the connection and answers its rows on every call', async () => {
    await expect(statements.rows(insert, [1, 'one'])).resolves.toEqual([{ id: 1, label: 'one' }]);
    await expect(statements.rows(byId, [1])).resolves.toEqual([{ id: 1, label: 'one' }]);
    await expect(statements.rows(byId, [2])).resolves.toEqual([]);
    const prepared = (await dataSource.query('SELECT name FROM pg_prepared_statements ORDER BY name')) as {
      name: string;
    }[];
    expect(prepared.map((p) => p.name)).toEqual([byId.name, insert.name].sort());
  });

  it('runs on the transaction connection it is given, inside that transaction', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await statements.rows(insert, [10, 'in tx'], manager);
        // Seen by the same transaction, then rolled back with it.
        expect(await statements.rows(byId, [10], manager)).toEqual([{ id: 10, label: 'in tx' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await expect(statements.rows(byId, [10])).resolves.toEqual([]);
  });

  it("wraps Postgres' refusals as TypeORM does, so the same error helpers apply", async () => {
    const err = await statements.rows(insert, [1, 'again']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect(isUniqueViolation(err)).toBe(true);
    // The connection is still usable after the refusal.
    await expect(statements.rows(byId, [1])).resolves.toEqual([{ id: 1, label: 'one' }]);
  });
});
