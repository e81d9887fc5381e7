import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isSid } from '@parley/contracts';
import { MessageEntity } from '../database/entities';
import { statement, Statements } from '../persistence/statements';
import type { IndexScan } from './message-paging';
import type { MessageDraft } from './message-rules';

/** What the insert of one new message did. */
export type InsertOutcome =
  | { kind: 'inserted'; channelSid: string; index: number }
  /** The channel already holds a message with this idempotency key: nothing was written. */
  | { kind: 'duplicate'; channelSid: string }
  /** No such channel in this account and service. */
  | { kind: 'no-channel' };

/** What the insert of a batch did: its messages have the indexes firstIndex, firstIndex + 1, … in order. */
export type BatchOutcome = { kind: 'inserted'; channelSid: string; firstIndex: number } | { kind: 'no-channel' };

/*
 * A send, in ONE statement: the channel row's UPDATE assigns the indexes (its row lock serialises sends to one
 * channel until the commit, so an index never repeats) and maintains messages_count and last_message_*; the
 * INSERT takes the indexes from it. The channel is found by sid or unique name in the same statement. The
 * statement writes a batch (1..n messages, see send-batcher.ts) as its own transaction: one round trip, the lock
 * held for the shortest time. `RETURNING next_message_index - n` is the first index of the batch.
 */
function batchSql(channelColumn: 'sid' | 'unique_name'): string {
  return `
    WITH ch AS (
      UPDATE channels
         SET next_message_index = next_message_index + $4::int,
             messages_count = messages_count + $4::int,
             last_message_sid = $5::varchar,
             last_message_index = next_message_index + $4::int - 1,
             last_message_date = $6::timestamptz
       WHERE account_sid = $1 AND service_sid = $2 AND ${channelColumn} = $3
       RETURNING sid, next_message_index - $4::int AS first_index
    ), ins AS (
      INSERT INTO messages (sid, account_sid, service_sid, channel_sid, "index", author, body, attributes, was_edited,
                            last_updated_by, "type", media, to_sid, idempotency_key, date_created, date_updated)
      SELECT i.sid, $1::varchar, $2::varchar, ch.sid, ch.first_index + i.ord::int - 1, i.author, i.body, i.attributes,
             i.was_edited, i.last_updated_by, i.type, i.media::jsonb, ch.sid, i.idempotency_key, i.date_created, i.date_updated
        FROM ch CROSS JOIN unnest($7::varchar[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[],
                                  $13::varchar[], $14::text[], $15::text[], $16::timestamptz[], $17::timestamptz[])
             WITH ORDINALITY AS i(sid, author, body, attributes, was_edited, last_updated_by, type, media,
                                  idempotency_key, date_created, date_updated, ord)
      RETURNING 1
    )
    SELECT ch.sid AS channel_sid, ch.first_index, (SELECT count(*) FROM ins)::int AS inserted FROM ch`;
}

/*
 * A send with an idempotency key that may be a retry: the same statement for one message, whose INSERT does
 * nothing when the channel already holds the key. The caller runs it in a transaction and rolls the counter
 * UPDATE back when nothing was inserted. A retry waits on the channel's row lock behind the original's
 * transaction, so the original is committed (and visible) by the time the INSERT looks for the key.
 */
function idempotentSql(channelColumn: 'sid' | 'unique_name'): string {
  return `
    WITH ch AS (
      UPDATE channels
         SET next_message_index = next_message_index + 1,
             messages_count = messages_count + 1,
             last_message_sid = $5::varchar,
             last_message_index = next_message_index,
             last_message_date = $6::timestamptz
       WHERE account_sid = $1 AND service_sid = $2 AND ${channelColumn} = $3
       RETURNING sid, next_message_index - 1 AS index
    ), ins AS (
      INSERT INTO messages (sid, account_sid, service_sid, channel_sid, "index", author, body, attributes, was_edited,
                            last_updated_by, "type", media, to_sid, idempotency_key, date_created, date_updated)
      SELECT $5::varchar, $1::varchar, $2::varchar, ch.sid, ch.index, $7::text, $8::text, $9::text, $10::boolean,
             $11::text, $12::varchar, $13::jsonb, ch.sid, $14::text, $6::timestamptz, $4::timestamptz
        FROM ch
      ON CONFLICT (channel_sid, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
      RETURNING 1
    )
    SELECT ch.sid AS channel_sid, ch.index, (SELECT count(*) FROM ins)::int AS inserted FROM ch`;
}

/** Prepared once per pool connection (persistence/statements.ts): every send runs one of these. */
const SQL = {
  sid: { batch: statement('message_batch_sid', batchSql('sid')), idempotent: statement('message_idempotent_sid', idempotentSql('sid')) },
  unique_name: {
    batch: statement('message_batch_unique_name', batchSql('unique_name')),
    idempotent: statement('message_idempotent_unique_name', idempotentSql('unique_name')),
  },
};

const channelColumn = (key: string) => (isSid(key, 'CH') ? 'sid' : 'unique_name');

interface BatchRow {
  channel_sid: string;
  first_index: number;
}

/**
 * Messages in Postgres. The account sid is a required argument of every query (and the channel, already
 * resolved within account and service, of every read), so another tenant's message is simply not found.
 */
@Injectable()
export class MessagesRepository {
  constructor(
    private readonly dataSource: DataSource,
    protected readonly statements: Statements,
  ) {}

  /** Runs `work` in one transaction with a repository bound to it (joins the current one if already inside). */
  transaction<T>(work: (tx: MessagesRepository) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new TransactionalMessagesRepository(this.dataSource, this.statements, manager)));
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Stores new messages in `channelKey` (sid or unique name) of the service, in order; see batchSql. */
  async insertBatch(accountSid: string, serviceSid: string, channelKey: string, drafts: MessageDraft[]): Promise<BatchOutcome> {
    const last = drafts[drafts.length - 1];
    if (!last) throw new Error('an empty batch');
    const column = <K extends keyof MessageDraft>(key: K) => drafts.map((d) => d[key]);
    const rows = await this.statements.rows<BatchRow>(SQL[channelColumn(channelKey)].batch, [
      accountSid,
      serviceSid,
      channelKey,
      drafts.length,
      last.sid,
      last.dateCreated.toISOString(),
      column('sid'),
      column('author'),
      column('body'),
      column('attributes'),
      column('wasEdited'),
      column('lastUpdatedBy'),
      column('type'),
      drafts.map((d) => (d.media ? JSON.stringify(d.media) : null)),
      column('idempotencyKey'),
      drafts.map((d) => d.dateCreated.toISOString()),
      drafts.map((d) => d.dateUpdated.toISOString()),
    ]);
    const row = rows[0];
    return row ? { kind: 'inserted', channelSid: row.channel_sid, firstIndex: row.first_index } : { kind: 'no-channel' };
  }

  /** Stores one keyed message unless the channel already holds its key; see idempotentSql. */
  async insertIdempotent(accountSid: string, serviceSid: string, channelKey: string, draft: MessageDraft): Promise<InsertOutcome> {
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
    ];
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const rows = await this.statements.rows<{ channel_sid: string; index: number; inserted: number }>(
        SQL[channelColumn(channelKey)].idempotent,
        values,
        runner.manager,
      );
      const row = rows[0];
      const result: InsertOutcome = !row
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

  /** At most `limit` messages of the channel in the scan's order, within its bounds. */
  scan(accountSid: string, channelSid: string, scan: IndexScan, limit: number): Promise<MessageEntity[]> {
    const qb = this.manager
      .createQueryBuilder(MessageEntity, 'm')
      .where('m.account_sid = :accountSid AND m.channel_sid = :channelSid', { accountSid, channelSid })
      .orderBy('m.index', scan.order)
      .limit(limit);
    if (scan.above !== undefined) qb.andWhere('m.index > :above', { above: scan.above });
    if (scan.below !== undefined) qb.andWhere('m.index < :below', { below: scan.below });
    return qb.getMany();
  }

  async exists(accountSid: string, channelSid: string, scan: IndexScan): Promise<boolean> {
    return (await this.scan(accountSid, channelSid, scan, 1)).length > 0;
  }
}

class TransactionalMessagesRepository extends MessagesRepository {
  constructor(
    dataSource: DataSource,
    statements: Statements,
    private readonly tx: EntityManager,
  ) {
    super(dataSource, statements);
  }

  override get manager(): EntityManager {
    return this.tx;
  }

  override transaction<T>(work: (tx: MessagesRepository) => Promise<T>): Promise<T> {
    return work(this);
  }
}
