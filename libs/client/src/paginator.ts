import { SDKError } from './errors';
import type { Indexed } from './message-sequencer';

type PageLoader<T> = () => Promise<Paginator<T>>;

/** Twilio's Paginator: one page of items, and loaders for the pages before and after it. */
export class Paginator<T> {
  readonly items: T[];
  private readonly next?: PageLoader<T>;
  private readonly prev?: PageLoader<T>;

  constructor(items: T[], loaders: { next?: PageLoader<T>; prev?: PageLoader<T> } = {}) {
    this.items = items;
    this.next = loaders.next;
    this.prev = loaders.prev;
  }

  get hasNextPage(): boolean {
    return this.next !== undefined;
  }

  get hasPrevPage(): boolean {
    return this.prev !== undefined;
  }

  nextPage(): Promise<Paginator<T>> {
    return this.next ? this.next() : Promise.reject(SDKError.invalidArgument('No next page'));
  }

  prevPage(): Promise<Paginator<T>> {
    return this.prev ? this.prev() : Promise.reject(SDKError.invalidArgument('No previous page'));
  }
}

export interface TokenPage<W> {
  items: W[];
  nextPageToken: string | null;
  previousPageToken: string | null;
}

/** Pages of a keyset-paged server list (`{items, nextPageToken, previousPageToken}`). */
export async function tokenPaginator<W, T>(
  fetch: (pageToken: string | undefined) => Promise<TokenPage<W>>,
  map: (item: W) => T,
  pageToken?: string,
): Promise<Paginator<T>> {
  const page = await fetch(pageToken);
  const { nextPageToken, previousPageToken } = page;
  return new Paginator(page.items.map(map), {
    next: nextPageToken ? () => tokenPaginator(fetch, map, nextPageToken) : undefined,
    prev: previousPageToken ? () => tokenPaginator(fetch, map, previousPageToken) : undefined,
  });
}

export type PageDirection = 'backwards' | 'forward';

export interface IndexPageQuery {
  pageSize: number;
  anchor?: number;
  direction: PageDirection;
}

/** The server's limit on `message.page` pageSize. */
export const MAX_MESSAGE_PAGE_SIZE = 100;

/**
 * Pages of messages by index (Twilio's getMessages). Items are ascending in every page; `prevPage` holds
 * older messages, `nextPage` newer ones. `anchor` is inclusive: backwards pages end at it, forward pages
 * start at it.
 *
 * To know whether more exist in the paging direction without a guess, one extra message is asked for
 * (when pageSize < 100) and dropped. Toward the other side, a page read from an explicit anchor offers a
 * page (it may turn out empty); one read from the newest (or oldest) end does not.
 */
export async function indexPaginator<W extends Indexed, T>(
  fetch: (query: IndexPageQuery) => Promise<W[]>,
  map: (item: W) => T,
  query: IndexPageQuery,
): Promise<Paginator<T>> {
  const { pageSize, anchor, direction } = query;
  const probe = pageSize < MAX_MESSAGE_PAGE_SIZE;
  const raw = [...(await fetch({ pageSize: probe ? pageSize + 1 : pageSize, anchor, direction }))].sort((a, b) => a.index - b.index);
  const backwards = direction === 'backwards';
  const moreAhead = probe ? raw.length > pageSize : raw.length >= pageSize;
  const items = raw.length > pageSize ? (backwards ? raw.slice(raw.length - pageSize) : raw.slice(0, pageSize)) : raw;
  const first = items[0];
  const last = items[items.length - 1];

  const older = (before: number): (() => Promise<Paginator<T>>) | undefined =>
    before >= 0 ? () => indexPaginator(fetch, map, { pageSize, anchor: before, direction: 'backwards' }) : undefined;
  const newer = (from: number) => () => indexPaginator(fetch, map, { pageSize, anchor: from, direction: 'forward' });

  let prev: (() => Promise<Paginator<T>>) | undefined;
  let next: (() => Promise<Paginator<T>>) | undefined;
  if (backwards) {
    if (moreAhead && first) prev = older(first.index - 1);
    if (anchor !== undefined) next = newer(last ? last.index + 1 : anchor + 1);
  } else {
    if (moreAhead && last) next = newer(last.index + 1);
    if (anchor !== undefined && anchor > 0) prev = older(first ? first.index - 1 : anchor - 1);
  }
  return new Paginator(items.map(map), { next, prev });
}
