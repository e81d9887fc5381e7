import { createHash } from 'node:crypto';
import type { Principal } from '@parley/contracts';

export interface PrincipalCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

interface Entry {
  expiresAt: number;
  principal: Promise<Principal>;
  /** Known once verification succeeded; until then the entry may belong to any account. */
  accountSid?: string;
}

/**
 * Remembers who a set of Basic credentials belongs to for a short time, so a busy client costs one NATS
 * round trip per TTL instead of one per request; concurrent first requests share that round trip.
 * Keys are SHA-256 digests of the Authorization header: the secret itself is never held. Only successes
 * stay cached: a failure is forgotten as soon as it settles. When an account's credentials change (a key is
 * deleted, the account suspended), `evictAccount` drops its principals; the TTL only bounds how long a stale
 * one could live if that notice were lost.
 */
export class PrincipalCache {
  // A Map iterates in insertion order: re-inserting on every hit makes its first key the least recently used.
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly options: PrincipalCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  resolve(authorization: string, verify: () => Promise<Principal>): Promise<Principal> {
    const key = createHash('sha256').update(authorization).digest('base64url');
    const now = this.now();
    const hit = this.entries.get(key);
    this.entries.delete(key);
    if (hit && hit.expiresAt > now) {
      this.entries.set(key, hit);
      return hit.principal;
    }
    const entry: Entry = { expiresAt: now + this.options.ttlMs, principal: verify() };
    this.entries.set(key, entry);
    void entry.principal.then(
      (principal) => {
        entry.accountSid = principal.accountSid;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(oldest);
    }
    return entry.principal;
  }

  /**
   * Forgets every principal of the account, and every verification still in flight: one that started before the
   * change may still answer with the old verdict, which must not stay cached (its waiters still get it).
   */
  evictAccount(accountSid: string): number {
    let evicted = 0;
    for (const [key, entry] of this.entries) {
      if (entry.accountSid === undefined || entry.accountSid === accountSid) {
        this.entries.delete(key);
        evicted++;
      }
    }
    return evicted;
  }

  get size(): number {
    return this.entries.size;
  }
}
