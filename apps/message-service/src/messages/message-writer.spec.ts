import { createMessageParamsSchema } from '@parley/contracts';
import { Metrics } from '@parley/platform';
import { MessageWriter } from './message-writer';
import { newMessageDraft, type MessageDraft } from './message-rules';
import type { BatchOutcome, InsertOutcome, MessagesRepository, SendCheck } from './messages.repository';

const AC = `AC${'a'.repeat(32)}`;
const IS = `IS${'b'.repeat(32)}`;
const CH = `CH${'c'.repeat(32)}`;

const draft = (body: string, key?: string): MessageDraft =>
  newMessageDraft({
    sid: `IM${body.padEnd(32, '0').slice(0, 32)}`,
    accountSid: AC,
    actor: { kind: 'system' },
    params: createMessageParamsSchema.parse({ ServiceSid: IS, ChannelSid: CH, Body: body, ...(key && { IdempotencyKey: key }) }),
    now: new Date(),
  });

/** What Postgres says about a statement: a SQLSTATE error, as TypeORM wraps it. */
const refused = (code: string) => Object.assign(new Error(`refused ${code}`), { driverError: { code } });

/**
 * A strict fake of the repository's write methods: a batch fails when one of its bodies is listed in `poison`
 * (as Postgres would refuse the whole statement), or as `batchError` says.
 */
function fakeRepository(opts: { poison?: string[]; batchError?: (drafts: MessageDraft[]) => Error | null; idempotent?: InsertOutcome } = {}) {
  const batches: string[][] = [];
  const idempotent: string[] = [];
  const checked: (string | null)[] = [];
  let next = 0;
  const repo = {
    async insertBatch(_a: string, _s: string, _c: string, drafts: MessageDraft[], checks: (SendCheck | null)[] = []): Promise<BatchOutcome> {
      batches.push(drafts.map((d) => d.body ?? ''));
      checked.push(...checks.map((c) => c?.identity ?? null));
      const error = opts.batchError?.(drafts) ?? (drafts.some((d) => opts.poison?.includes(d.body ?? '')) ? refused('22021') : null);
      if (error) throw error;
      // As the statement does: a send whose check fails (or whose channel is over its allowance) is not kept; the kept
      // ones get consecutive indexes.
      const refusal = (check: SendCheck | null | undefined) => (check?.identity === 'refused' ? 'denied' : check?.identity === 'over' ? 'limited' : null);
      return { kind: 'inserted', channelSid: CH, indexes: drafts.map((_, i) => refusal(checks[i]) ?? next++) };
    },
    async insertIdempotent(_a: string, _s: string, _c: string, d: MessageDraft, check: SendCheck | null = null): Promise<InsertOutcome> {
      idempotent.push(d.body ?? '');
      if (check?.identity === 'refused') return { kind: 'denied', channelSid: CH };
      return opts.idempotent ?? { kind: 'inserted', channelSid: CH, index: next++ };
    },
  };
  return { repo: repo as unknown as MessagesRepository, batches, idempotent, checked };
}

const writerOf = (repo: MessagesRepository) => new MessageWriter(repo, new Metrics('message-service', 'test'));
const send = (writer: MessageWriter, d: MessageDraft) => writer.write(AC, IS, CH, d);

describe('MessageWriter', () => {
  it('writes sends that arrive together in one batch and gives them consecutive indexes in order', async () => {
    const { repo, batches } = fakeRepository();
    const writer = writerOf(repo);
    const outcomes = await Promise.all(['a', 'b', 'c'].map((b) => send(writer, draft(b))));
    expect(batches).toEqual([['a', 'b', 'c']]);
    expect(outcomes).toEqual([0, 1, 2].map((index) => ({ kind: 'inserted', channelSid: CH, index })));
  });

  it('writes each send of a refused batch alone, so only the bad one fails', async () => {
    const { repo, batches } = fakeRepository({ poison: ['bad'] });
    const writer = writerOf(repo);
    const [a, bad, c] = await Promise.allSettled(['a', 'bad', 'c'].map((b) => send(writer, draft(b))));
    expect(batches).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
    expect(a).toEqual({ status: 'fulfilled', value: { kind: 'inserted', channelSid: CH, index: 0 } });
    expect(bad).toMatchObject({ status: 'rejected', reason: { message: 'refused 22021' } });
    expect(c).toEqual({ status: 'fulfilled', value: { kind: 'inserted', channelSid: CH, index: 1 } });
  });

  it('does not write a batch again after an error that may have followed its commit', async () => {
    const lost = new Error('Connection terminated unexpectedly');
    const { repo, batches } = fakeRepository({ batchError: () => lost });
    const writer = writerOf(repo);
    const results = await Promise.allSettled(['a', 'b'].map((b) => send(writer, draft(b))));
    expect(batches).toEqual([['a', 'b']]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('sends a keyed send that hit its stored key down the idempotent path', async () => {
    const duplicate: InsertOutcome = { kind: 'duplicate', channelSid: CH };
    const { repo, batches, idempotent } = fakeRepository({
      batchError: (drafts) => (drafts.length === 1 ? refused('23505') : null),
      idempotent: duplicate,
    });
    const writer = writerOf(repo);
    await expect(send(writer, draft('retry', 'k1'))).resolves.toEqual(duplicate);
    expect(batches).toEqual([['retry']]);
    expect(idempotent).toEqual(['retry']);
  });

  it('fails an unkeyed send alone on a unique violation (nothing to find)', async () => {
    const { repo, idempotent } = fakeRepository({ batchError: () => refused('23505') });
    await expect(send(writerOf(repo), draft('x'))).rejects.toThrow('refused 23505');
    expect(idempotent).toEqual([]);
  });

  it("hands each send's check to the statement and answers a refused one as denied and one over the limit as limited, alone", async () => {
    const { repo, batches, checked } = fakeRepository();
    const writer = writerOf(repo);
    const as = (identity: string): SendCheck => ({ identity, roleSid: null, permission: 'sendMessage', perSecond: 30 });
    const outcomes = await Promise.all([
      writer.write(AC, IS, CH, draft('a'), as('alice')),
      writer.write(AC, IS, CH, draft('b'), as('refused')),
      writer.write(AC, IS, CH, draft('c')),
      writer.write(AC, IS, CH, draft('d'), as('over')),
    ]);
    expect(batches).toEqual([['a', 'b', 'c', 'd']]);
    expect(checked).toEqual(['alice', 'refused', null, 'over']);
    expect(outcomes).toEqual([
      { kind: 'inserted', channelSid: CH, index: 0 },
      { kind: 'denied', channelSid: CH },
      { kind: 'inserted', channelSid: CH, index: 1 },
      { kind: 'limited', channelSid: CH },
    ]);
  });

  it('keeps the check on the path of a send written alone', async () => {
    const { repo, idempotent } = fakeRepository({ batchError: (drafts) => (drafts.length > 1 ? refused('23505') : null) });
    const writer = writerOf(repo);
    const outcomes = await Promise.all([
      writer.write(AC, IS, CH, draft('k', 'key-1'), { identity: 'refused', roleSid: null, permission: 'sendMessage', perSecond: 30 }),
      writer.write(AC, IS, CH, draft('plain'), { identity: 'refused', roleSid: null, permission: 'sendMessage', perSecond: 30 }),
    ]);
    expect(idempotent).toEqual(['k']);
    expect(outcomes).toEqual([
      { kind: 'denied', channelSid: CH },
      { kind: 'denied', channelSid: CH },
    ]);
  });

  it('answers no-channel to every send of the batch', async () => {
    const { repo } = fakeRepository();
    (repo as unknown as { insertBatch: () => Promise<BatchOutcome> }).insertBatch = async () => ({ kind: 'no-channel' });
    const outcomes = await Promise.all(['a', 'b'].map((b) => send(writerOf(repo), draft(b))));
    expect(outcomes).toEqual([{ kind: 'no-channel' }, { kind: 'no-channel' }]);
  });
});
