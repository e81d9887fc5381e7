/** Sids are `XX` + 32 hex characters (chat-v2-surface.md); every primary key and reference uses this type. */
export const SID = { type: 'varchar', length: 34 } as const;

/**
 * `date_created` / `date_updated`. The app always sets them (REST allows backfilling DateCreated/DateUpdated);
 * the DB default only guards against a forgotten value.
 */
export const TIMESTAMP = { type: 'timestamptz', default: () => 'now()' } as const;

/** Twilio's `attributes` is a JSON-encoded string, kept verbatim so it round-trips byte for byte. */
export const ATTRIBUTES = { name: 'attributes', type: 'text', default: '{}' } as const;
