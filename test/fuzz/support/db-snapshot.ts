import { Client } from 'pg';

/** Row count and an order-independent checksum of every row of a table. */
export interface TableDigest {
  rows: number;
  checksum: string;
}
export type DbSnapshot = Record<string, TableDigest>;

/**
 * Digests every table of the database (the migrations' bookkeeping aside): equal snapshots mean that no
 * row was added, removed or changed in any column.
 */
export async function snapshotDatabase(url: string, where?: { accountSid: string }): Promise<DbSnapshot> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string; has_account: boolean }>(
      `SELECT t.table_name,
              EXISTS (SELECT 1 FROM information_schema.columns c
                       WHERE c.table_schema = 'public' AND c.table_name = t.table_name AND c.column_name = 'account_sid') AS has_account
         FROM information_schema.tables t
        WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND t.table_name NOT ILIKE '%migration%'
        ORDER BY t.table_name`,
    );
    const snapshot: DbSnapshot = {};
    for (const { table_name: table, has_account: hasAccount } of tables.rows) {
      // Only one account's rows when asked (the accounts table by its sid).
      const filter = where ? (hasAccount ? `WHERE t.account_sid = $1` : table === 'accounts' ? `WHERE t.sid = $1` : null) : '';
      if (filter === null) continue;
      const { rows } = await client.query<{ rows: string; checksum: string | null }>(
        `SELECT count(*)::text AS rows, md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS checksum FROM "${table}" t ${filter}`,
        where && filter ? [where.accountSid] : [],
      );
      snapshot[table] = { rows: Number(rows[0]?.rows ?? 0), checksum: rows[0]?.checksum ?? '' };
    }
    return snapshot;
  } finally {
    await client.end();
  }
}

/** The tables whose digest differs between two snapshots, as `table: rows a → b`. */
export function snapshotDifferences(before: DbSnapshot, after: DbSnapshot): string[] {
  const tables = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: string[] = [];
  for (const table of tables) {
    const a = before[table];
    const b = after[table];
    if (a?.checksum !== b?.checksum || a?.rows !== b?.rows) out.push(`${table}: ${a?.rows ?? '-'} rows → ${b?.rows ?? '-'} rows`);
  }
  return out;
}
