import { Errors } from '@parley/contracts';

/*
 * Keyset paging, pure. A page token is opaque to clients: `PT` (the page after) or `PB` (the page before)
 * followed by base64url JSON `{"k": <sort key of the boundary row>}`. Lists never use OFFSET: each page is
 * `WHERE key > k ORDER BY key ASC LIMIT size + 1` (or `< k ... DESC` going back), and the extra row only tells
 * whether another page exists in that direction.
 */

export type PageDirection = 'next' | 'previous';

const PREFIX: Record<PageDirection, string> = { next: 'PT', previous: 'PB' };

export interface PageCursor<K> {
  direction: PageDirection;
  key: K;
}

/** How to query a page: order of the scan and, unless it is the first page, the strict bound on the sort key. */
export interface PagePlan<K> {
  order: 'ASC' | 'DESC';
  after?: K;
  before?: K;
}

export interface KeysetPage<T> {
  items: T[];
  nextPageToken: string | null;
  previousPageToken: string | null;
}

export function encodePageToken<K>(cursor: PageCursor<K>): string {
  return PREFIX[cursor.direction] + Buffer.from(JSON.stringify({ k: cursor.key }), 'utf8').toString('base64url');
}

/**
 * Parses a token back into its cursor; `parseKey` validates the key's shape (tokens are client input).
 * Anything else answers Twilio's 400 for the PageToken parameter.
 */
export function decodePageToken<K>(token: string, parseKey: (raw: unknown) => K | null): PageCursor<K> {
  const direction = token.startsWith(PREFIX.next) ? 'next' : token.startsWith(PREFIX.previous) ? 'previous' : null;
  const body = token.slice(2);
  if (!direction || !/^[A-Za-z0-9_-]+$/.test(body)) throw invalidToken();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken();
  }
  if (typeof parsed !== 'object' || parsed === null || !('k' in parsed)) throw invalidToken();
  const key = parseKey((parsed as { k: unknown }).k);
  if (key === null) throw invalidToken();
  return { direction, key };
}

export function planPage<K>(cursor: PageCursor<K> | null): PagePlan<K> {
  if (!cursor) return { order: 'ASC' };
  return cursor.direction === 'next' ? { order: 'ASC', after: cursor.key } : { order: 'DESC', before: cursor.key };
}

/**
 * Turns the rows of a plan (at most `pageSize + 1`, in scan order) into a page in ascending order with the
 * tokens of its neighbours. A page reached from another one always links back to it.
 */
export function buildPage<T, K>(rows: T[], pageSize: number, cursor: PageCursor<K> | null, keyOf: (row: T) => K): KeysetPage<T> {
  const more = rows.length > pageSize;
  const taken = rows.slice(0, pageSize);
  const items = cursor?.direction === 'previous' ? taken.reverse() : taken;
  const first = items[0];
  const last = items[items.length - 1];
  const token = (direction: PageDirection, row: T | undefined) =>
    row === undefined ? null : encodePageToken({ direction, key: keyOf(row) });

  if (cursor?.direction === 'previous') {
    return { items, nextPageToken: token('next', last), previousPageToken: more ? token('previous', first) : null };
  }
  return {
    items,
    nextPageToken: more ? token('next', last) : null,
    previousPageToken: cursor ? token('previous', first) : null,
  };
}

export interface PageSizeRule {
  default: number;
  max: number;
}

/** Twilio's per-list PageSize limits (chat-v2-surface.md): 50 by default, 100 for most lists. */
export function resolvePageSize(requested: number | undefined, rule: PageSizeRule): number {
  if (requested === undefined) return rule.default;
  if (!Number.isInteger(requested) || requested < 1 || requested > rule.max) {
    throw Errors.invalidParameter('PageSize');
  }
  return requested;
}

function invalidToken() {
  return Errors.invalidParameter('PageToken');
}
