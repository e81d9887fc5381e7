import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { Metrics } from '@parley/platform';
import { KeyedBatcher, type BatchLimits } from '../persistence/keyed-batcher';
import type { MessageDraft } from './message-rules';
import { MessagesRepository, type BatchOutcome, type InsertOutcome, type SendCheck } from './messages.repository';

interface SendJob {
  accountSid: string;
  serviceSid: string;
  channelKey: string;
  draft: MessageDraft;
  /** An SDK user's permission check, made by the write itself; null for REST. */
  check: SendCheck | null;
}

/**
 * Bounds of one statement: 100 messages, and about 1 MB of bodies and attributes (a 32 KiB body is at most
 * 96 KiB of UTF-8, so a batch of big messages is simply shorter).
 */
export const SEND_BATCH_LIMITS: BatchLimits = { maxItems: 100, maxWeight: 1_000_000 };

const UNIQUE_VIOLATION = '23505';

/**
 * Writes sends, batched per channel (persistence/keyed-batcher.ts). A batch is one statement: it stores all of its messages or
 * none. When Postgres refuses it, each of its sends is written on its own, so one bad send fails alone. This is also
 * how an idempotency key that is already stored (a retry) is found: the batch's plain INSERT hits the unique key,
 * and the send alone takes the idempotent path, which answers the original.
 */
@Injectable()
export class MessageWriter {
  private readonly batcher = new KeyedBatcher<SendJob, InsertOutcome>(
    (_key, jobs) => this.writeBatch(jobs),
    SEND_BATCH_LIMITS,
    (job) => (job.draft.body?.length ?? 0) + job.draft.attributes.length,
  );

  private readonly batchSize: Histogram;
  private readonly batchSeconds: Histogram;

  constructor(
    private readonly messages: MessagesRepository,
    metrics: Metrics,
  ) {
    this.batchSize = new Histogram({
      name: 'parley_message_send_batch_size',
      help: 'Sends written by one statement (group commit per channel)',
      buckets: [1, 2, 5, 10, 20, 50, 100],
      registers: [metrics.registry],
    });
    this.batchSeconds = new Histogram({
      name: 'parley_message_send_batch_seconds',
      help: 'Time to write one batch of sends, commit included',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [metrics.registry],
    });
  }

  /**
   * Writes one send; with a `check`, only when the SDK user's permission check passes ('denied' otherwise) and the
   * channel's send allowance lasts ('limited' otherwise).
   */
  write(accountSid: string, serviceSid: string, channelKey: string, draft: MessageDraft, check: SendCheck | null = null): Promise<InsertOutcome> {
    return this.batcher.submit(`${accountSid}/${serviceSid}/${channelKey}`, { accountSid, serviceSid, channelKey, draft, check });
  }

  private async writeBatch(jobs: SendJob[]): Promise<PromiseSettledResult<InsertOutcome>[]> {
    const [first] = jobs;
    if (!first) return [];
    this.batchSize.observe(jobs.length);
    const timer = this.batchSeconds.startTimer();
    try {
      const outcome = await this.messages.insertBatch(
        first.accountSid,
        first.serviceSid,
        first.channelKey,
        jobs.map((j) => j.draft),
        jobs.map((j) => j.check),
      );
      timer();
      return jobs.map((_, i) => ({ status: 'fulfilled' as const, value: outcomeAt(outcome, i) }));
    } catch (err) {
      // Only a statement Postgres refused is certainly not written; after anything else (a lost connection) the
      // batch may have committed, and writing its sends again would store them twice.
      if (!refusedByPostgres(err)) throw err;
      if (jobs.length === 1 && !(first.draft.idempotencyKey !== null && sqlState(err) === UNIQUE_VIOLATION)) throw err;
      // Alone, one after the other: in arrival order, as the batch would have stored them.
      const results: PromiseSettledResult<InsertOutcome>[] = [];
      for (const job of jobs) {
        try {
          results.push({ status: 'fulfilled', value: await this.writeOne(job) });
        } catch (reason) {
          results.push({ status: 'rejected', reason });
        }
      }
      return results;
    }
  }

  private async writeOne({ accountSid, serviceSid, channelKey, draft, check }: SendJob): Promise<InsertOutcome> {
    if (draft.idempotencyKey !== null) return this.messages.insertIdempotent(accountSid, serviceSid, channelKey, draft, check);
    return outcomeAt(await this.messages.insertBatch(accountSid, serviceSid, channelKey, [draft], [check]), 0);
  }
}

/** The outcome of the batch's i-th send. */
function outcomeAt(outcome: BatchOutcome, i: number): InsertOutcome {
  if (outcome.kind !== 'inserted') return outcome;
  const index = outcome.indexes[i] ?? 'denied';
  return typeof index === 'number' ? { kind: 'inserted', channelSid: outcome.channelSid, index } : { kind: index, channelSid: outcome.channelSid };
}

function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Data exceptions (22), integrity violations (23) and rolled-back transactions (40): the statement wrote nothing. */
function refusedByPostgres(err: unknown): boolean {
  const state = sqlState(err);
  return state !== undefined && ['22', '23', '40'].includes(state.slice(0, 2));
}
