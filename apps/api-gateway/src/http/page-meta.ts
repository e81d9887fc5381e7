import { pageParamsSchema, parseParams, type PageResult } from '@parley/contracts';

/** A parsed query string: repeated keys arrive as arrays (Express' "simple" parser, node querystring). */
export type QueryParams = Record<string, string | string[] | undefined>;

/** The paging parameters of one list request, with Twilio's defaults applied. */
export interface Paging {
  PageSize: number;
  Page: number;
  PageToken?: string;
}

export interface PageMeta {
  page: number;
  page_size: number;
  first_page_url: string;
  previous_page_url: string | null;
  url: string;
  next_page_url: string | null;
  key: string;
}

export const DEFAULT_PAGE_SIZE = 50;
const PAGING_KEYS = new Set(['PageSize', 'Page', 'PageToken']);

/**
 * Reads `PageSize`, `Page` and `PageToken`. A PageSize above the list's maximum is lowered to it rather
 * than refused: twilio-node sends `PageSize = limit` for `list({ limit })`, whatever the limit.
 * Anything that is not a positive integer is a 400 naming the parameter.
 */
export function readPaging(query: QueryParams, maxPageSize: number): Paging {
  const size = query.PageSize;
  const capped = typeof size === 'string' && /^\d+$/.test(size) && Number(size) > maxPageSize ? maxPageSize : size;
  const parsed = parseParams(pageParamsSchema, { PageSize: capped, Page: query.Page, PageToken: query.PageToken });
  return {
    PageSize: parsed.PageSize ?? Math.min(DEFAULT_PAGE_SIZE, maxPageSize),
    Page: parsed.Page ?? 0,
    ...(parsed.PageToken !== undefined && { PageToken: parsed.PageToken }),
  };
}

/**
 * Twilio's list `meta`: absolute URLs that keep the list's filters (repeated keys stay repeated) and
 * carry `PageSize`, `Page` and the opaque `PageToken` that message-service answered with.
 */
export function pageMeta(args: {
  key: string;
  listUrl: string;
  query: QueryParams;
  paging: Paging;
  page: Pick<PageResult<unknown>, 'pageSize' | 'nextPageToken' | 'previousPageToken'>;
}): PageMeta {
  const { key, listUrl, query, paging, page } = args;
  const filters: [string, string][] = [];
  for (const [name, value] of Object.entries(query)) {
    if (PAGING_KEYS.has(name) || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) filters.push([name, v]);
  }
  const urlOf = (pageNumber: number, token: string | undefined) => {
    const search = new URLSearchParams(filters);
    search.set('PageSize', String(page.pageSize));
    search.set('Page', String(pageNumber));
    if (token !== undefined) search.set('PageToken', token);
    return `${listUrl}?${search.toString()}`;
  };
  return {
    page: paging.Page,
    page_size: page.pageSize,
    first_page_url: urlOf(0, undefined),
    previous_page_url: page.previousPageToken === null ? null : urlOf(Math.max(paging.Page - 1, 0), page.previousPageToken),
    url: urlOf(paging.Page, paging.PageToken),
    next_page_url: page.nextPageToken === null ? null : urlOf(paging.Page + 1, page.nextPageToken),
    key,
  };
}

/** Twilio's list body: the items under `meta.key`, next to `meta`. */
export function listEnvelope<T>(meta: PageMeta, items: T[]): { meta: PageMeta } & Record<string, T[] | PageMeta> {
  return { [meta.key]: items, meta };
}
