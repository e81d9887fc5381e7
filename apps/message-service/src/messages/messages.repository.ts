import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TransactionalRepository } from '../persistence/transactional.repository';
import { isSid } from '@parley/contracts';
import { MessageEntity } from '../database/entities';
import { RowMapper } from '../persistence/rows';
import { statement, Statements, type Statement } from '../persistence/statements';
import type { IndexScan } from './message-paging';
import type { MessageDraft } from './message-rules';

/** What the insert of one new message did. */
export type InsertOutcome =
  | { kind: 'inserted'; channelSid: string; index: number }
  /** The channel already holds a message with this idempotency key: nothing was written. */
  | { kind: 'duplicate'; channelSid: string }
  /** The SDK user's send failed its permission check (see SendCheck): nothing was written. */
  | { kind: 'denied'; channelSid: string }
  /** The SDK user's send found the channel's send allowance used up (see SendCheck): nothing was written. */
  | { kind: 'limited'; channelSid: string }
  /** No such channel in this account and service. */
  | { kind: 'no-channel' };

/**
 * What the insert of a batch did: `indexes[i]` is the index of the batch's i-th message, or why that send was not
 * written (its check failed: 'denied'; the channel's allowance was used up: 'limited'). The inserted ones have
 * consecutive indexes, in the batch's order.
 */
export type BatchOutcome = { kind: 'inserted'; channelSid: string; indexes: (number | 'denied' | 'limited')[] } | { kind: 'no-channel' };

/**
 * The permission an SDK user's send needs, checked by the write statement itself: the user is a member of the
 * channel, and `permission` is in its channel role or its service role (the session's, else its User's). That is
 * exactly sdk-actions.ts' rule for message.send / message.sendMedia (a member always sees its channel); the
 * statement only says yes or no, and a refused send is answered by the full check (ChannelAccess), whose error says why.
 */
export interface SendCheck {
  identity: string;
  roleSid: string | null;
  permission: 'sendMessage' | 'sendMediaMessage';
  /**
   * Twilio's per-channel limit: SDK sends per second into the channel, from every socket and replica, with bursts of up
   * to twice that. The statement keeps it in the channel row it locks anyway (a token bucket; see sendAllowance).
   */
  perSecond: number;
}

/*
 * The channel row, locked (as the send's UPDATE would lock it; taken first so the allowance read is the newest one, not
 * the statement's snapshot), with the SDK send allowance it holds now: what was left at send_allowance_at plus
 * `rate` per second since, at most twice `rate` (a full bucket: NULL). `rate` NULL: no checked send, no allowance.
 */
function lockedTarget(channelColumn: 'sid' | 'unique_name', rate: string): string {
  return `
      SELECT c.sid,
             LEAST(2 * ${rate}::float8, COALESCE(c.send_allowance, 2 * ${rate}::float8)
                   + ${rate}::float8 * GREATEST(0, EXTRACT(EPOCH FROM statement_timestamp() - c.send_allowance_at))) AS allowance
        FROM channels c
       WHERE c.account_sid = $1 AND c.service_sid = $2 AND c.${channelColumn} = $3
         FOR NO KEY UPDATE`;
}

/** The channel row's allowance after `charged` checked sends were written (unchanged when none was). */
const chargedAllowance = (charged: string) => `
             send_allowance = CASE WHEN ${charged} > 0 THEN t.allowance - ${charged} ELSE c.send_allowance END,
             send_allowance_at = CASE WHEN ${charged} > 0 THEN statement_timestamp() ELSE c.send_allowance_at END`;

/*
 * A send's check, for the channel `channel` and the viewer columns named: the viewer's member row with that member's
 * channel role, and its service role (the session's, else its User's). Lateral lookups on unique indexes, made per
 * send: the plan stays a handful of index probes whatever the tables' statistics say (a prepared statement keeps
 * its plan, and a fresh database has none yet). LIMIT 1 (each is unique anyway) keeps the planner from flattening
 * them into joins.
 */
function permissionLookups(channel: string, identity: string, role: string): string {
  return `
        LEFT JOIN LATERAL (
          SELECT vm.sid, vmr.permissions
            FROM members vm
            LEFT JOIN roles vmr ON vmr.sid = vm.role_sid AND vmr.account_sid = $1 AND vmr.service_sid = $2 AND vmr.type = 'channel'
           WHERE vm.channel_sid = ${channel} AND vm.identity = ${identity} AND vm.account_sid = $1
           LIMIT 1
        ) vm ON true
        LEFT JOIN LATERAL (
          SELECT vsr.permissions
            FROM roles vsr
           WHERE vsr.sid = COALESCE(${role}, (SELECT vu.role_sid FROM users vu
                                                WHERE vu.service_sid = $2 AND vu.identity = ${identity} AND vu.account_sid = $1))
             AND vsr.account_sid = $1 AND vsr.service_sid = $2 AND vsr.type = 'deployment'
           LIMIT 1
        ) vsr ON true`;
}

const permitted = (permission: string) =>
  `(vm.sid IS NOT NULL AND ${permission} = ANY (COALESCE(vm.permissions, '{}'::text[]) || COALESCE(vsr.permissions, '{}'::text[])))`;

/*
 * A send, in ONE statement: the channel is found by sid or unique name and locked; each message whose sender is
 * checked (an SDK user: check_permission set) is kept only when its permission check passes (SendCheck), read in the
 * same statement, and while the channel's send allowance lasts (in the batch's order, one per checked send); the
 * channel row's UPDATE assigns the kept messages' indexes (its row lock serialises sends to one channel until the
 * commit, so an index never repeats), maintains messages_count and last_message_* and charges the allowance; the
 * INSERT takes the indexes from it. The statement writes a batch (1..n messages, see persistence/keyed-batcher.ts) as
 * its own transaction: one round trip, the lock held for the shortest time. It answers the channel (null: none), the
 * first index, the ordinals (1-based) of the messages kept and those of the checked sends over the allowance.
 */
function batchSql(channelColumn: 'sid' | 'unique_name', shape: 'one' | 'many'): string {
  return `
    WITH target AS (${lockedTarget(channelColumn, shape === 'many' ? '$5' : '$18')}
    ), req AS (${shape === 'many' ? MANY_SENDS : ONE_SEND}
    ), permitted AS (
      SELECT r.*,
             CASE WHEN r.check_permission IS NOT NULL
                  THEN count(*) FILTER (WHERE r.check_permission IS NOT NULL) OVER (ORDER BY r.ord) END AS nth
        FROM req r CROSS JOIN target t ${permissionLookups('t.sid', 'r.check_identity', 'r.check_role')}
       WHERE r.check_permission IS NULL OR ${permitted('r.check_permission')}
    ), allowed AS (
      SELECT p.*, (row_number() OVER (ORDER BY p.ord))::int AS pos
        FROM permitted p CROSS JOIN target t
       WHERE p.nth IS NULL OR p.nth <= t.allowance
    ), tally AS (
      SELECT count(*)::int AS n, (count(*) FILTER (WHERE check_permission IS NOT NULL))::int AS charged,
             (array_agg(sid ORDER BY pos DESC))[1] AS last_sid, (array_agg(date_created ORDER BY pos DESC))[1] AS last_date
        FROM allowed
    ), ch AS (
      UPDATE channels c
         SET next_message_index = c.next_message_index + tally.n,
             messages_count = c.messages_count + tally.n,
             last_message_sid = tally.last_sid,
             last_message_index = c.next_message_index + tally.n - 1,
             last_message_date = tally.last_date,${chargedAllowance('tally.charged')}
        FROM tally CROSS JOIN target t
       WHERE c.account_sid = $1 AND c.service_sid = $2 AND c.sid = t.sid AND tally.n > 0
       RETURNING c.sid, c.next_message_index - tally.n AS first_index
    ), ins AS (
      INSERT INTO messages (sid, account_sid, service_sid, channel_sid, "index", author, body, attributes, was_edited,
                            last_updated_by, "type", media, to_sid, idempotency_key, date_created, date_updated)
      SELECT a.sid, $1::varchar, $2::varchar, ch.sid, ch.first_index + a.pos - 1, a.author, a.body, a.attributes,
             a.was_edited, a.last_updated_by, a.type, a.media::jsonb, ch.sid, a.idempotency_key, a.date_created, a.date_updated
        FROM ch CROSS JOIN allowed a
      RETURNING 1
    )
    SELECT t.sid AS channel_sid, ch.first_index, ARRAY(SELECT ord::int FROM allowed ORDER BY pos) AS allowed,
           ARRAY(SELECT ord::int FROM permitted p WHERE p.nth > t.allowance ORDER BY ord) AS limited,
           (SELECT count(*) FROM ins)::int AS inserted
      FROM target t LEFT JOIN ch ON true`;
}

/*
 * The sends of a batch, from one JSON array of objects ($4; $5 is the checked sends' rate), numbered from 1. Not
 * arrays per column: Postgres keeps a prepared statement's generic plan only when it costs no more than the custom
 * ones, and planned with known arrays it counts unnest's rows exactly (generically it guesses ten), so that form was
 * planned anew on every call — measured at twice the backend CPU of the send. jsonb_to_recordset is estimated alike
 * in both plans.
 */
const MANY_SENDS = `
      SELECT * FROM ROWS FROM (jsonb_to_recordset($4::jsonb) AS (
               sid varchar, author text, body text, attributes text, was_edited boolean, last_updated_by text, type varchar,
               media text, idempotency_key text, date_created timestamptz, date_updated timestamptz, check_identity text,
               check_role varchar, check_permission text))
             WITH ORDINALITY AS i(sid, author, body, attributes, was_edited, last_updated_by, type, media, idempotency_key,
                                  date_created, date_updated, check_identity, check_role, check_permission, ord)`;

/** A lone send (the common case) in plain parameters ($4..$17; $18 is its rate when checked): the cheapest to bind. */
const ONE_SEND = `
      SELECT $4::varchar AS sid, $5::text AS author, $6::text AS body, $7::text AS attributes, $8::boolean AS was_edited,
             $9::text AS last_updated_by, $10::varchar AS type, $11::text AS media, $12::text AS idempotency_key,
             $13::timestamptz AS date_created, $14::timestamptz AS date_updated, $15::text AS check_identity,
             $16::varchar AS check_role, $17::text AS check_permission, 1::bigint AS ord`;

/*
 * A send with an idempotency key that may be a retry: the same statement for one message, whose INSERT does
 * nothing when the channel already holds the key. The caller runs it in a transaction and rolls the counter
 * UPDATE back when nothing was inserted. A retry waits on the channel's row lock behind the original's
 * transaction, so the original is committed (and visible) by the time the INSERT looks for the key. The sender's
 * check ($15..$17 and the rate $18, as in batchSql) gates the UPDATE: a refused send writes nothing, and a send over
 * the channel's allowance neither (a duplicate, rolled back, gives its charge back).
 */
function idempotentSql(channelColumn: 'sid' | 'unique_name'): string {
  return `
    WITH target AS (${lockedTarget(channelColumn, '$18')}
    ), allowed AS (
      SELECT 1 FROM target t ${permissionLookups('t.sid', '$15::text', '$16::varchar')}
       WHERE $17::text IS NULL OR ${permitted('$17::text')}
    ), admitted AS (
      SELECT 1 FROM allowed CROSS JOIN target t WHERE $17::text IS NULL OR t.allowance >= 1
    ), ch AS (
      UPDATE channels c
         SET next_message_index = c.next_message_index + 1,
             messages_count = c.messages_count + 1,
             last_message_sid = $5::varchar,
             last_message_index = c.next_message_index,
             last_message_date = $6::timestamptz,${chargedAllowance('(CASE WHEN $17::text IS NULL THEN 0 ELSE 1 END)')}
        FROM target t
       WHERE c.account_sid = $1 AND c.service_sid = $2 AND c.sid = t.sid AND EXISTS (SELECT 1 FROM admitted)
       RETURNING c.sid, c.next_message_index - 1 AS index
    ), ins AS (
      INSERT INTO messages (sid, account_sid, service_sid, channel_sid, "index", author, body, attributes, was_edited,
                            last_updated_by, "type", media, to_sid, idempotency_key, date_created, date_updated)
      SELECT $5::varchar, $1::varchar, $2::varchar, ch.sid, ch.index, $7::text, $8::text, $9::text, $10::boolean,
             $11::text, $12::varchar, $13::jsonb, ch.sid, $14::text, $6::timestamptz, $4::timestamptz
        FROM ch
      ON CONFLICT (channel_sid, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
      RETURNING 1
    )
    SELECT t.sid AS channel_sid, ch.index, (SELECT count(*) FROM ins)::int AS inserted, EXISTS (SELECT 1 FROM allowed) AS allowed,
           EXISTS (SELECT 1 FROM allowed) AND NOT EXISTS (SELECT 1 FROM admitted) AS limited
      FROM target t LEFT JOIN ch ON true`;
}

/** Prepared once per pool connection (persistence/statements.ts): every send runs one of these. */
/** A send's values, in the order of ONE_SEND's parameters and MANY_SENDS' columns. */
const SEND_COLUMNS = [
  'sid', 'author', 'body', 'attributes', 'was_edited', 'last_updated_by', 'type', 'media', 'idempotency_key',
  'date_created', 'date_updated', 'check_identity', 'check_role', 'check_permission',
] as const;

function sendValues(d: MessageDraft, check: SendCheck | null): unknown[] {
  return [
    d.sid,
    d.author,
    d.body,
    d.attributes,
    d.wasEdited,
    d.lastUpdatedBy,
    d.type,
    d.media ? JSON.stringify(d.media) : null,
    d.idempotencyKey,
    d.dateCreated.toISOString(),
    d.dateUpdated.toISOString(),
    check?.identity ?? null,
    check?.roleSid ?? null,
    check?.permission ?? null,
  ];
}

const statementsFor = (column: 'sid' | 'unique_name') => ({
  one: statement(`message_send_${column}`, batchSql(column, 'one')),
  many: statement(`message_batch_${column}`, batchSql(column, 'many')),
  idempotent: statement(`message_idempotent_${column}`, idempotentSql(column)),
});

const SQL = { sid: statementsFor('sid'), unique_name: statementsFor('unique_name') };

/** A message's columns in the prepared statements (persistence/rows.ts). */
export const MESSAGE_ROWS = new RowMapper(MessageEntity, [
  'sid',
  'account_sid',
  'service_sid',
  'channel_sid',
  'index',
  'author',
  'body',
  'attributes',
  'was_edited',
  'last_updated_by',
  'type',
  'media',
  'to_sid',
  'idempotency_key',
  'date_created',
  'date_updated',
]);

/** A channel's messages by index: $1 account, $2 channel, $3 limit, then the bounds given (above, below). */
const scanStatements = new Map<string, Statement>();

function scanStatement(order: 'ASC' | 'DESC', above: boolean, below: boolean): Statement {
  const key = `${order}${above ? '_above' : ''}${below ? '_below' : ''}`;
  let stmt = scanStatements.get(key);
  if (!stmt) {
    const bounds = [above ? 'AND m.index > $4' : '', below ? `AND m.index < $${above ? 5 : 4}` : ''].join(' ');
    stmt = statement(
      `message_scan_${key.toLowerCase()}`,
      `SELECT ${MESSAGE_ROWS.select('m')}
         FROM messages m
        WHERE m.account_sid = $1 AND m.channel_sid = $2 ${bounds}
        ORDER BY m.index ${order}
        LIMIT $3`,
    );
    scanStatements.set(key, stmt);
  }
  return stmt;
}

const channelColumn = (key: string) => (isSid(key, 'CH') ? 'sid' : 'unique_name');

interface BatchRow {
  channel_sid: string;
  /** Null when nothing was kept, or when the channel was deleted between the statement's read and its UPDATE. */
  first_index: number | null;
  allowed: number[];
  limited: number[];
}

/** The rate of a statement's checked sends (one configuration per replica, so one rate), null when none is checked. */
const rateOf = (checks: readonly (SendCheck | null)[]): number | null => checks.find((c) => c)?.perSecond ?? null;

/**
 * Messages in Postgres. The account sid is a required argument of every query (and the channel, already
 * resolved within account and service, of every read), so another tenant's message is simply not found.
 */
@Injectable()
export class MessagesRepository extends TransactionalRepository<MessagesRepository> {
  constructor(
    dataSource: DataSource,
    private readonly statements: Statements,
  ) {
    super(dataSource);
  }

  protected fresh(): MessagesRepository {
    return new MessagesRepository(this.dataSource, this.statements);
  }

  /**
   * Stores new messages in `channelKey` (sid or unique name) of the service, in order, each whose check (null: none,
   * a REST send) passes; see batchSql.
   */
  async insertBatch(
    accountSid: string,
    serviceSid: string,
    channelKey: string,
    drafts: MessageDraft[],
    checks: readonly (SendCheck | null)[] = [],
  ): Promise<BatchOutcome> {
    if (drafts.length === 0) throw new Error('an empty batch');
    const sql = SQL[channelColumn(channelKey)];
    const [row] =
      drafts.length === 1
        ? await this.statements.rows<BatchRow>(sql.one, [
            accountSid,
            serviceSid,
            channelKey,
            ...sendValues(drafts[0] as MessageDraft, checks[0] ?? null),
            rateOf(checks),
          ])
        : await this.statements.rows<BatchRow>(sql.many, [
            accountSid,
            serviceSid,
            channelKey,
            JSON.stringify(
              drafts.map((d, i) => {
                const values = sendValues(d, checks[i] ?? null);
                return Object.fromEntries(SEND_COLUMNS.map((column, k) => [column, values[k]]));
              }),
            ),
            rateOf(checks),
          ]);
    if (!row) return { kind: 'no-channel' };
    const { first_index: firstIndex, allowed, limited } = row;
    // Kept messages but no UPDATE: the channel went away in between.
    if (firstIndex === null && allowed.length > 0) return { kind: 'no-channel' };
    const position = new Map(allowed.map((ordinal, i) => [ordinal, i]));
    const over = new Set(limited);
    const indexes = drafts.map((_, i): number | 'denied' | 'limited' => {
      const at = position.get(i + 1);
      if (at !== undefined && firstIndex !== null) return firstIndex + at;
      return over.has(i + 1) ? 'limited' : 'denied';
    });
    return { kind: 'inserted', channelSid: row.channel_sid, indexes };
  }

  /** Stores one keyed message unless the channel already holds its key (or its check fails); see idempotentSql. */
  async insertIdempotent(accountSid: string, serviceSid: string, channelKey: string, draft: MessageDraft, check: SendCheck | null = null): Promise<InsertOutcome> {
    const values = [
      accountSid,
      serviceSid,
      channelKey,
      draft.dateUpdated.toISOString(),
      draft.sid,
      draft.dateCreated.toISOString(),
      draft.author,
      draft.body,
      draft.attributes,
      draft.wasEdited,
      draft.lastUpdatedBy,
      draft.type,
      draft.media ? JSON.stringify(draft.media) : null,
      draft.idempotencyKey,
      check?.identity ?? null,
      check?.roleSid ?? null,
      check?.permission ?? null,
      check?.perSecond ?? null,
    ];
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const rows = await this.statements.rows<{ channel_sid: string; index: number | null; inserted: number; allowed: boolean; limited: boolean }>(
        SQL[channelColumn(channelKey)].idempotent,
        values,
        runner.manager,
      );
      const row = rows[0];
      const result: InsertOutcome = !row
        ? { kind: 'no-channel' }
        : !row.allowed
          ? { kind: 'denied', channelSid: row.channel_sid }
          : row.limited
            ? { kind: 'limited', channelSid: row.channel_sid }
            : row.index === null
            ? { kind: 'no-channel' }
            : row.inserted === 1
              ? { kind: 'inserted', channelSid: row.channel_sid, index: row.index }
              : { kind: 'duplicate', channelSid: row.channel_sid };
      // A duplicate bumped the counters for nothing: undo them with the rest.
      if (result.kind === 'inserted') await runner.commitTransaction();
      else await runner.rollbackTransaction();
      return result;
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  }

  findByIdempotencyKey(accountSid: string, channelSid: string, idempotencyKey: string): Promise<MessageEntity | null> {
    return this.manager.findOne(MessageEntity, { where: { accountSid, channelSid, idempotencyKey } });
  }

  /** `lock` takes a row lock until the transaction ends (read-modify-write, delete). */
  findBySid(accountSid: string, channelSid: string, sid: string, opts: { lock?: boolean } = {}): Promise<MessageEntity | null> {
    return this.manager.findOne(MessageEntity, {
      where: { accountSid, channelSid, sid },
      ...(opts.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  async update(accountSid: string, message: MessageEntity): Promise<MessageEntity> {
    const { body, attributes, author, dateCreated, dateUpdated, lastUpdatedBy, wasEdited } = message;
    await this.manager.update(
      MessageEntity,
      { accountSid, channelSid: message.channelSid, sid: message.sid },
      { body, attributes, author, dateCreated, dateUpdated, lastUpdatedBy, wasEdited },
    );
    return message;
  }

  /**
   * Removes a message and keeps its channel's counters: messages_count goes down (indexes are never reused),
   * and when it was the channel's last message, last_message_* move to the newest remaining one (or null).
   * Call inside a transaction holding the channel's row lock.
   */
  async delete(accountSid: string, message: MessageEntity, wasLast: boolean): Promise<void> {
    await this.manager.delete(MessageEntity, { accountSid, channelSid: message.channelSid, sid: message.sid });
    const last = wasLast
      ? `, (last_message_sid, last_message_index, last_message_date) = (
           SELECT m.sid, m.index, m.date_created FROM messages m
            WHERE m.account_sid = $1 AND m.channel_sid = $2 ORDER BY m.index DESC LIMIT 1)`
      : '';
    await this.manager.query(
      `UPDATE channels SET messages_count = messages_count - 1 ${last} WHERE account_sid = $1 AND sid = $2`,
      [accountSid, message.channelSid],
    );
  }

  /**
   * At most `limit` messages of the channel in the scan's order, within its bounds: SDK pages and reconnect
   * recovery (every reconnecting client asks for what it missed), REST pages. A prepared statement per shape.
   */
  async scan(accountSid: string, channelSid: string, scan: IndexScan, limit: number): Promise<MessageEntity[]> {
    const stmt = scanStatement(scan.order, scan.above !== undefined, scan.below !== undefined);
    const bounds = [scan.above, scan.below].filter((b) => b !== undefined);
    const rows = await this.statements.rows<object>(stmt, [accountSid, channelSid, limit, ...bounds], this.manager);
    return rows.map((row) => MESSAGE_ROWS.from(row));
  }

  async exists(accountSid: string, channelSid: string, scan: IndexScan): Promise<boolean> {
    return (await this.scan(accountSid, channelSid, scan, 1)).length > 0;
  }
}

