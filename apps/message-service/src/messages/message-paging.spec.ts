import { decodePageToken, encodePageToken, planPage } from '../paging/page-token';
import { assembleSdkPage, indexScan, messageKeyParser, sdkPageScan, type MessageKey, type SdkPageRequest } from './message-paging';

describe('indexScan', () => {
  const key = (i: number, o: 'asc' | 'desc' = 'asc'): MessageKey => ({ i, o });

  it.each<[string, ReturnType<typeof planPage<MessageKey>>, 'asc' | 'desc', ReturnType<typeof indexScan>]>([
    ['first page, ascending', planPage<MessageKey>(null), 'asc', { order: 'ASC' }],
    ['first page, descending', planPage<MessageKey>(null), 'desc', { order: 'DESC' }],
    ['next page, ascending', planPage({ direction: 'next', key: key(9) }), 'asc', { order: 'ASC', above: 9 }],
    ['previous page, ascending', planPage({ direction: 'previous', key: key(9) }), 'asc', { order: 'DESC', below: 9 }],
    ['next page, descending', planPage({ direction: 'next', key: key(9, 'desc') }), 'desc', { order: 'DESC', below: 9 }],
    ['previous page, descending', planPage({ direction: 'previous', key: key(9, 'desc') }), 'desc', { order: 'ASC', above: 9 }],
  ])('%s', (_, plan, order, expected) => {
    expect(indexScan(plan, order)).toEqual(expected);
  });
});

describe('message page tokens', () => {
  it('round-trip for the order they were issued for', () => {
    const token = encodePageToken({ direction: 'next', key: { i: 41, o: 'desc' } });
    expect(decodePageToken(token, messageKeyParser('desc'))).toEqual({ direction: 'next', key: { i: 41, o: 'desc' } });
  });

  it.each<[string, unknown]>([
    ['another order', { i: 41, o: 'asc' }],
    ['a negative index', { i: -1, o: 'desc' }],
    ['a fractional index', { i: 1.5, o: 'desc' }],
    ['a string index', { i: '1', o: 'desc' }],
    ['no key', null],
  ])('are refused with 400 for %s', (_, key) => {
    const token = encodePageToken({ direction: 'next', key });
    expect(() => decodePageToken(token, messageKeyParser('desc'))).toThrow(expect.objectContaining({ code: 20001, status: 400 }));
  });
});

/** A channel whose messages have these indexes (gaps are deleted messages), scanned as SQL would. */
function run(indexes: number[], req: SdkPageRequest) {
  const { scan, limit, beyond } = sdkPageScan(req);
  const select = (s: typeof scan) =>
    indexes
      .filter((i) => (s.above === undefined || i > s.above) && (s.below === undefined || i < s.below))
      .sort((a, b) => (s.order === 'ASC' ? a - b : b - a));
  const rows = select(scan).slice(0, limit).map((index) => ({ index }));
  const page = assembleSdkPage(req, rows, beyond ? select(beyond).length > 0 : false);
  return { indexes: page.items.map((r) => r.index), older: page.olderAnchor, newer: page.newerAnchor };
}

describe('SDK pages (getMessages)', () => {
  const ten = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

  it.each<[string, number[], SdkPageRequest, ReturnType<typeof run>]>([
    ['the latest page', ten, { pageSize: 3, direction: 'backwards' }, { indexes: [7, 8, 9], older: 6, newer: null }],
    ['backwards from an anchor', ten, { pageSize: 3, anchor: 5, direction: 'backwards' }, { indexes: [3, 4, 5], older: 2, newer: 6 }],
    ['backwards to the start', ten, { pageSize: 3, anchor: 2, direction: 'backwards' }, { indexes: [0, 1, 2], older: null, newer: 3 }],
    ['the whole channel', ten, { pageSize: 30, direction: 'backwards' }, { indexes: ten, older: null, newer: null }],
    ['forward from the start', ten, { pageSize: 4, direction: 'forward' }, { indexes: [0, 1, 2, 3], older: null, newer: 4 }],
    ['forward from an anchor', ten, { pageSize: 4, anchor: 4, direction: 'forward' }, { indexes: [4, 5, 6, 7], older: 3, newer: 8 }],
    ['forward to the end', ten, { pageSize: 4, anchor: 8, direction: 'forward' }, { indexes: [8, 9], older: 7, newer: null }],
    ['an empty channel', [], { pageSize: 3, direction: 'backwards' }, { indexes: [], older: null, newer: null }],
    ['past the end', ten, { pageSize: 3, anchor: 20, direction: 'forward' }, { indexes: [], older: 19, newer: null }],
    ['gaps, backwards', [0, 4, 9, 15], { pageSize: 2, anchor: 10, direction: 'backwards' }, { indexes: [4, 9], older: 3, newer: 10 }],
    ['gaps, forward', [0, 4, 9, 15], { pageSize: 2, anchor: 1, direction: 'forward' }, { indexes: [4, 9], older: 3, newer: 10 }],
  ])('%s', (_, indexes, req, expected) => {
    expect(run(indexes, req)).toEqual(expected);
  });

  it('walks the whole channel back from the latest page without gaps or repeats', () => {
    const indexes = [0, 1, 3, 4, 5, 8, 9, 10, 13];
    const seen: number[] = [];
    let page = run(indexes, { pageSize: 2, direction: 'backwards' });
    seen.unshift(...page.indexes);
    while (page.older !== null) {
      page = run(indexes, { pageSize: 2, anchor: page.older, direction: 'backwards' });
      seen.unshift(...page.indexes);
    }
    expect(seen).toEqual(indexes);
  });
});
