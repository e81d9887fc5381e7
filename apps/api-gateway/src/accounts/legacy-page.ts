import type { PageResult } from '@parley/contracts';
import { pageMeta, type Paging, type QueryParams } from '../http/page-meta';

/** Twilio 2010-04-01 lists (Accounts, Keys): at most 1000 per page. */
export const LEGACY_MAX_PAGE_SIZE = 1000;

/**
 * The list body of the 2010-04-01 API (api.twilio.com), unlike Chat v2's `meta`: paging fields at the top level
 * and `*_uri`s relative to the API root (`/2010-04-01/...`). twilio-node's Page resolves `next_page_uri` against
 * its api.twilio.com base, which the client's HTTP layer then sends to this deployment. `start`/`end` are the
 * positions of the page's first and last items (0 and 0 for an empty first page, as Twilio renders them).
 */
export type LegacyList<T> = {
  end: number;
  first_page_uri: string;
  next_page_uri: string | null;
  page: number;
  page_size: number;
  previous_page_uri: string | null;
  start: number;
  uri: string;
} & { [key: string]: T[] | string | number | null };

export function legacyListEnvelope<T>(args: {
  key: string;
  /** The list's path from the API root, e.g. `/2010-04-01/Accounts.json`. */
  path: string;
  query: QueryParams;
  paging: Paging;
  page: PageResult<T>;
}): LegacyList<T> {
  // The same URLs as Chat v2's meta (filters kept, PageSize, Page, PageToken), built on a relative path.
  const meta = pageMeta({ key: args.key, listUrl: args.path, query: args.query, paging: args.paging, page: args.page });
  const start = meta.page * meta.page_size;
  return {
    [args.key]: args.page.items,
    end: start + Math.max(args.page.items.length - 1, 0),
    first_page_uri: meta.first_page_url,
    next_page_uri: meta.next_page_url,
    page: meta.page,
    page_size: meta.page_size,
    previous_page_uri: meta.previous_page_url,
    start,
    uri: meta.url,
  } as LegacyList<T>;
}
