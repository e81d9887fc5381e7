import { indexPaginator, Paginator, tokenPaginator, type IndexPageQuery } from './paginator';

describe('Paginator', () => {
  it('rejects paging past either end', async () => {
    const page = new Paginator([1, 2]);
    expect(page.hasNextPage).toBe(false);
    expect(page.hasPrevPage).toBe(false);
    await expect(page.nextPage()).rejects.toMatchObject({ name: 'SDKError', status: 400 });
    await expect(page.prevPage()).rejects.toMatchObject({ name: 'SDKError' });
  });
});

describe('tokenPaginator', () => {
  // A keyset-paged list of 7 items, pages of 3, tokens naming the page start.
  const all = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const fetch = jest.fn(async (token: string | undefined) => {
    const start = token ? Number(token) : 0;
    return {
      items: all.slice(start, start + 3),
      nextPageToken: start + 3 < all.length ? String(start + 3) : null,
      previousPageToken: start > 0 ? String(Math.max(0, start - 3)) : null,
    };
  });

  it('walks forward and back with the server tokens, mapping items', async () => {
    const p1 = await tokenPaginator(fetch, (s) => s.toUpperCase());
    expect(p1.items).toEqual(['A', 'B', 'C']);
    expect([p1.hasPrevPage, p1.hasNextPage]).toEqual([false, true]);
    const p2 = await p1.nextPage();
    expect(p2.items).toEqual(['D', 'E', 'F']);
    const p3 = await p2.nextPage();
    expect(p3.items).toEqual(['G']);
    expect(p3.hasNextPage).toBe(false);
    expect((await p3.prevPage()).items).toEqual(['D', 'E', 'F']);
    expect(fetch.mock.calls.map((c) => c[0])).toEqual([undefined, '3', '6', '3']);
  });
});

describe('indexPaginator (getMessages)', () => {
  // Index 4 and 8 were deleted.
  const history = [0, 1, 2, 3, 5, 6, 7, 9, 10, 11];
  const queries: IndexPageQuery[] = [];
  const fetch = async (q: IndexPageQuery) => {
    queries.push(q);
    const asc = history.filter((i) => (q.anchor === undefined ? true : q.direction === 'backwards' ? i <= q.anchor : i >= q.anchor));
    const picked = q.direction === 'backwards' ? asc.slice(Math.max(0, asc.length - q.pageSize)) : asc.slice(0, q.pageSize);
    // Servers may answer in any order; the paginator sorts.
    return picked.map((index) => ({ index })).reverse();
  };
  const page = (query: IndexPageQuery) => indexPaginator(fetch, (m) => m.index, query);

  beforeEach(() => (queries.length = 0));

  it('the newest page, then older pages until the start', async () => {
    const p1 = await page({ pageSize: 3, direction: 'backwards' });
    expect(p1.items).toEqual([9, 10, 11]);
    expect([p1.hasPrevPage, p1.hasNextPage]).toEqual([true, false]);
    expect(queries[0]).toEqual({ pageSize: 4, anchor: undefined, direction: 'backwards' });
    const p2 = await p1.prevPage();
    expect(p2.items).toEqual([5, 6, 7]);
    expect(queries[1]).toMatchObject({ anchor: 8, direction: 'backwards' });
    const p3 = await p2.prevPage();
    expect(p3.items).toEqual([1, 2, 3]);
    const p4 = await p3.prevPage();
    expect(p4.items).toEqual([0]);
    expect(p4.hasPrevPage).toBe(false);
    expect(p4.hasNextPage).toBe(true);
    expect((await p4.nextPage()).items).toEqual([1, 2, 3]);
  });

  it('forward from an anchor, then newer pages until the end', async () => {
    const p1 = await page({ pageSize: 4, anchor: 3, direction: 'forward' });
    expect(p1.items).toEqual([3, 5, 6, 7]);
    expect([p1.hasPrevPage, p1.hasNextPage]).toEqual([true, true]);
    const p2 = await p1.nextPage();
    expect(p2.items).toEqual([9, 10, 11]);
    expect(p2.hasNextPage).toBe(false);
    expect((await p1.prevPage()).items).toEqual([0, 1, 2]);
  });

  it('a backwards page from an anchor offers newer messages', async () => {
    const p = await page({ pageSize: 2, anchor: 6, direction: 'backwards' });
    expect(p.items).toEqual([5, 6]);
    expect((await p.nextPage()).items).toEqual([7, 9]);
  });

  it('an exact fit has no further page', async () => {
    const p = await page({ pageSize: 10, direction: 'forward' });
    expect(p.items).toEqual(history);
    expect([p.hasPrevPage, p.hasNextPage]).toEqual([false, false]);
  });

  it('asks for 100 at most (no probe at the maximum page size)', async () => {
    const p = await page({ pageSize: 100, direction: 'backwards' });
    expect(queries[0].pageSize).toBe(100);
    expect(p.items).toEqual(history);
    expect(p.hasPrevPage).toBe(false);
  });

  it('an empty channel', async () => {
    const p = await indexPaginator(async () => [], (m: { index: number }) => m, { pageSize: 30, direction: 'backwards' });
    expect(p.items).toEqual([]);
    expect([p.hasPrevPage, p.hasNextPage]).toEqual([false, false]);
  });
});
