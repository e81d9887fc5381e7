import type { PagePlan } from '../paging/page-token';

/*
 * Paging over a channel's message index, pure. Every list is a keyset scan of the unique (channel_sid, index):
 * REST ListMessage (Order asc|desc, page tokens), the SDK's getMessages(pageSize, anchor, direction) and the
 * reconnect recovery (index > last held).
 */

export type MessageOrder = 'asc' | 'desc';

/** A ListMessage page token's key: the boundary index and the order it was issued for. */
export interface MessageKey {
  i: number;
  o: MessageOrder;
}

/** The SQL of one scan: its direction and the strict bounds on `index`. */
export interface IndexScan {
  order: 'ASC' | 'DESC';
  above?: number;
  below?: number;
}

/**
 * Turns a page plan (expressed in the list's own order: ASC = the way the list runs) into a scan of the index.
 * A descending list runs from the newest message down, so its "after" means a smaller index.
 */
export function indexScan(plan: PagePlan<MessageKey>, order: MessageOrder): IndexScan {
  const forward = plan.order === 'ASC';
  const bound = plan.after ?? plan.before;
  const scan: IndexScan = { order: forward === (order === 'asc') ? 'ASC' : 'DESC' };
  if (!bound) return scan;
  // Scanning up the index the bound is a lower one, scanning down an upper one.
  if (scan.order === 'ASC') scan.above = bound.i;
  else scan.below = bound.i;
  return scan;
}

/** Page tokens are client input: only a well-formed key of the same order reaches SQL. */
export function messageKeyParser(order: MessageOrder) {
  return (raw: unknown): MessageKey | null => {
    if (typeof raw !== 'object' || raw === null) return null;
    const { i, o } = raw as Record<string, unknown>;
    return typeof i === 'number' && Number.isSafeInteger(i) && i >= 0 && o === order ? { i, o: order } : null;
  };
}

export interface SdkPageRequest {
  pageSize: number;
  anchor?: number;
  direction: 'backwards' | 'forward';
}

/**
 * The scan of an SDK page: `backwards` takes the newest messages at or below the anchor (the latest when there
 * is none), `forward` the oldest at or above it; one row more than the page tells whether another page exists
 * in that direction. `beyond` is where the other direction starts, to ask whether anything lies there.
 */
export function sdkPageScan(req: SdkPageRequest): { scan: IndexScan; limit: number; beyond: IndexScan | null } {
  const limit = req.pageSize + 1;
  if (req.direction === 'backwards') {
    if (req.anchor === undefined) return { scan: { order: 'DESC' }, limit, beyond: null };
    return { scan: { order: 'DESC', below: req.anchor + 1 }, limit, beyond: { order: 'ASC', above: req.anchor } };
  }
  const anchor = req.anchor ?? 0;
  return { scan: { order: 'ASC', above: anchor - 1 }, limit, beyond: anchor > 0 ? { order: 'DESC', below: anchor } : null };
}

export interface SdkPage<T> {
  items: T[];
  olderAnchor: number | null;
  newerAnchor: number | null;
}

/**
 * Builds the page (ascending) from the scanned rows (scan order, at most pageSize + 1) and whether anything lies
 * beyond the anchor on the other side. Indexes may have gaps (deleted messages), so the neighbour anchors are
 * just past the page's ends.
 */
export function assembleSdkPage<T extends { index: number }>(req: SdkPageRequest, rows: T[], beyondExists: boolean): SdkPage<T> {
  const more = rows.length > req.pageSize;
  const taken = rows.slice(0, req.pageSize);
  if (req.direction === 'backwards') {
    const items = taken.reverse();
    const low = items[0]?.index ?? (req.anchor ?? 0) + 1;
    const high = items[items.length - 1]?.index ?? req.anchor ?? -1;
    return { items, olderAnchor: more ? low - 1 : null, newerAnchor: beyondExists ? high + 1 : null };
  }
  const anchor = req.anchor ?? 0;
  const low = taken[0]?.index ?? anchor;
  const high = taken[taken.length - 1]?.index ?? anchor - 1;
  return { items: taken, olderAnchor: beyondExists ? low - 1 : null, newerAnchor: more ? high + 1 : null };
}
