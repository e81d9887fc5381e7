import { ParleyError } from '@parley/contracts';
import {
  buildPage,
  decodePageToken,
  encodePageToken,
  planPage,
  resolvePageSize,
  type PageCursor,
  type PagePlan,
} from './page-token';

const parseNumber = (raw: unknown) => (typeof raw === 'number' ? raw : null);
const parsePair = (raw: unknown) =>
  Array.isArray(raw) && raw.length === 2 && typeof raw[0] === 'string' && typeof raw[1] === 'string'
    ? (raw as [string, string])
    : null;

describe('page tokens', () => {
  it.each([
    [{ direction: 'next', key: 42 }, 'PT'],
    [{ direction: 'previous', key: 7 }, 'PB'],
    [{ direction: 'next', key: ['2015-07-30T20:00:00.123456Z', 'IS00'] }, 'PT'],
  ] as const)('round-trips %j with prefix %s', (cursor, prefix) => {
    const token = encodePageToken(cursor as PageCursor<unknown>);
    expect(token.startsWith(prefix)).toBe(true);
    expect(token.slice(2)).toMatch(/^[A-Za-z0-9_-]+$/);
    const parse = typeof cursor.key === 'number' ? parseNumber : parsePair;
    expect(decodePageToken(token, parse as (raw: unknown) => unknown)).toEqual(cursor);
  });

  it.each([
    ['empty', ''],
    ['unknown prefix', `PX${Buffer.from('{"k":1}').toString('base64url')}`],
    ['prefix only', 'PT'],
    ['not base64url', 'PT{"k":1}'],
    ['not JSON', `PT${Buffer.from('nope').toString('base64url')}`],
    ['JSON without k', `PT${Buffer.from('{"x":1}').toString('base64url')}`],
    ['JSON null', `PT${Buffer.from('null').toString('base64url')}`],
    ['key of the wrong shape', `PT${Buffer.from('{"k":"1"}').toString('base64url')}`],
  ])('rejects %s with 400 20001 naming PageToken', (_, token) => {
    expect.assertions(2);
    try {
      decodePageToken(token, parseNumber);
    } catch (err) {
      expect(err).toBeInstanceOf(ParleyError);
      expect((err as ParleyError).toBody()).toEqual({ code: 20001, status: 400, message: 'Invalid parameter: PageToken' });
    }
  });
});

describe('planPage', () => {
  it.each([
    ['first page', null, { order: 'ASC' }],
    ['next page', { direction: 'next', key: 5 }, { order: 'ASC', after: 5 }],
    ['previous page', { direction: 'previous', key: 5 }, { order: 'DESC', before: 5 }],
  ] as const)('%s', (_, cursor, plan) => {
    expect(planPage(cursor as PageCursor<number> | null)).toEqual(plan);
  });
});

/** What the SQL of a plan returns from a sorted table: `LIMIT size + 1`, in scan order. */
function scan(table: number[], plan: PagePlan<number>, pageSize: number): number[] {
  const rows = table.filter((k) => (plan.after === undefined || k > plan.after) && (plan.before === undefined || k < plan.before));
  return (plan.order === 'ASC' ? rows : [...rows].reverse()).slice(0, pageSize + 1);
}

function fetchPage(table: number[], pageSize: number, token: string | null) {
  const cursor = token ? decodePageToken(token, parseNumber) : null;
  return buildPage(scan(table, planPage(cursor), pageSize), pageSize, cursor, (k) => k);
}

describe('buildPage', () => {
  const table = [1, 2, 3, 4, 5, 6, 7];

  it.each([
    // [description, pageSize, token, items, next key, previous key]
    ['first page with more', 3, null, [1, 2, 3], 3, null],
    ['first page exactly full', 7, null, table, null, null],
    ['middle page', 3, encodePageToken({ direction: 'next', key: 3 }), [4, 5, 6], 6, 4],
    ['last page, short', 3, encodePageToken({ direction: 'next', key: 6 }), [7], null, 7],
    ['last page, exactly full', 3, encodePageToken({ direction: 'next', key: 4 }), [5, 6, 7], null, 5],
    ['page past the end', 3, encodePageToken({ direction: 'next', key: 7 }), [], null, null],
    ['previous page with more before', 2, encodePageToken({ direction: 'previous', key: 5 }), [3, 4], 4, 3],
    ['previous page reaching the start', 3, encodePageToken({ direction: 'previous', key: 4 }), [1, 2, 3], 3, null],
    ['previous page, start exactly', 2, encodePageToken({ direction: 'previous', key: 3 }), [1, 2], 2, null],
  ] as const)('%s', (_, pageSize, token, items, nextKey, previousKey) => {
    const page = fetchPage(table, pageSize, token);
    expect(page.items).toEqual(items);
    expect(page.nextPageToken).toBe(nextKey === null ? null : encodePageToken({ direction: 'next', key: nextKey }));
    expect(page.previousPageToken).toBe(
      previousKey === null ? null : encodePageToken({ direction: 'previous', key: previousKey }),
    );
  });

  it('answers an empty list with one empty page and no tokens', () => {
    expect(fetchPage([], 3, null)).toEqual({ items: [], nextPageToken: null, previousPageToken: null });
  });

  it.each([1, 2, 3, 4, 7, 8])('walks forward then back with page size %i, without gaps or duplicates', (pageSize) => {
    const forward: number[][] = [];
    let page = fetchPage(table, pageSize, null);
    forward.push(page.items);
    while (page.nextPageToken) {
      page = fetchPage(table, pageSize, page.nextPageToken);
      forward.push(page.items);
    }
    expect(forward.flat()).toEqual(table);

    const backward: number[][] = [page.items];
    while (page.previousPageToken) {
      page = fetchPage(table, pageSize, page.previousPageToken);
      backward.unshift(page.items);
    }
    expect(backward.flat()).toEqual(table);
  });
});

describe('resolvePageSize', () => {
  const rule = { default: 50, max: 100 };

  it.each([
    [undefined, 50],
    [1, 1],
    [100, 100],
  ])('%p -> %p', (requested, expected) => {
    expect(resolvePageSize(requested, rule)).toBe(expected);
  });

  it.each([[0], [101], [1000], [2.5]])('rejects %p with 400 20001 naming PageSize', (requested) => {
    expect(() => resolvePageSize(requested, rule)).toThrow('Invalid parameter: PageSize');
  });
});
