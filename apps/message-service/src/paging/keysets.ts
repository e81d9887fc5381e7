import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isSid, type SidPrefix } from '@parley/contracts';
import type { PagePlan } from './page-token';

/*
 * Keysets of the lists, the sort keys their page tokens carry (see page-token.ts).
 */

/** Keyset of the lists ordered by sid: page tokens are client input, so only a well-formed sid reaches SQL. */
export interface SidKey {
  sid: string;
}

export const parseSidKey =
  (prefix: SidPrefix) =>
  (raw: unknown): SidKey | null => {
    if (typeof raw !== 'object' || raw === null) return null;
    const { sid } = raw as Record<string, unknown>;
    return isSid(sid, prefix) ? { sid } : null;
  };

/*
 * Keyset of the lists of Services, Accounts, API Keys, Roles, Users, Bindings and Credentials: creation order, sid to break ties (rows created
 * in one statement share a timestamp). `at` is the exact stored timestamp as text with microseconds: a key rounded
 * to milliseconds could repeat or skip a row.
 */
export interface CreatedKey {
  at: string;
  sid: string;
}

export interface KeyedRow<T> {
  row: T;
  key: CreatedKey;
}

const KEY_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Page tokens are client input: only a well-formed key (with a sid of the listed kind) reaches SQL. */
export function createdKeyParser(prefix: SidPrefix): (raw: unknown) => CreatedKey | null {
  return (raw) => {
    if (typeof raw !== 'object' || raw === null) return null;
    const { at, sid } = raw as Record<string, unknown>;
    return typeof at === 'string' && KEY_AT.test(at) && isSid(sid, prefix) ? { at, sid } : null;
  };
}

/**
 * Runs `qb` (filters already applied, the entity selected as `alias`) as one page of the plan: at most `limit`
 * rows in the plan's scan order, each with its exact key for the page tokens.
 */
export async function listByCreated<T extends ObjectLiteral & { sid: string }>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  plan: PagePlan<CreatedKey>,
  limit: number,
): Promise<KeyedRow<T>[]> {
  qb.addSelect(`to_char(${alias}.date_created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`, 'key_at')
    .orderBy(`${alias}.date_created`, plan.order)
    .addOrderBy(`${alias}.sid`, plan.order)
    .limit(limit);
  const bound = plan.after ?? plan.before;
  if (bound) {
    const op = plan.after ? '>' : '<';
    qb.andWhere(`(${alias}.date_created, ${alias}.sid) ${op} (CAST(:keyAt AS timestamptz), :keySid)`, {
      keyAt: bound.at,
      keySid: bound.sid,
    });
  }
  const { entities, raw } = await qb.getRawAndEntities<Record<string, string>>();
  const keyAt = new Map(raw.map((r) => [r[`${alias}_sid`], r.key_at]));
  return entities.map((row) => ({ row, key: { at: keyAt.get(row.sid) ?? '', sid: row.sid } }));
}
