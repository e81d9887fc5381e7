import 'reflect-metadata';
import { ParleyError, type MessageResource } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import { bootMessageService, startMessageService, type Instance, type MessageService } from './harness';

/*
 * Twilio's per-channel limit on SDK sends (CHANNEL_ACTIONS_PER_SECOND, bursts of up to twice that), counted by the send
 * statement in the channel row it locks: exact across replicas, nothing written for a refused send, REST untouched.
 * Two message-service replicas on one database and one NATS prefix, as in production.
 */

jest.setTimeout(60_000);

const PER_SECOND = 5;
const BURST = 2 * PER_SECOND;

describe('message-service: the per-channel limit of SDK sends', () => {
  let ms: MessageService;
  let second: Instance;
  let serviceSid: string;

  const system = () => ms.system();
  const channel = async (name: string, members: string[]) => {
    const sid = (await ms.send('chat.v1.cmd.channel.create', { caller: system(), params: { ServiceSid: serviceSid, FriendlyName: name } })).sid;
    for (const identity of members) {
      await ms.send('chat.v1.cmd.member.create', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: sid, Identity: identity } });
    }
    return sid;
  };
  const sendAs = (identity: string, channelSid: string, i: number) =>
    ms
      .send('chat.v1.cmd.message.create', {
        caller: ms.sdkUser(serviceSid, identity),
        params: { ServiceSid: serviceSid, ChannelSid: channelSid, Body: `m${i}`, From: identity, IdempotencyKey: `limit-${channelSid}-${identity}-${i}` },
      })
      .then(
        (m: MessageResource) => ({ ok: true as const, index: m.index }),
        (err: unknown) => {
          if (err instanceof ParleyError) return { ok: false as const, code: err.code, status: err.status };
          throw err;
        },
      );
  const stored = async (channelSid: string) =>
    (
      await ms.pg.query<{ n: number; count: number; next: number; indexes: number[] }>(
        `SELECT (SELECT count(*)::int FROM messages WHERE channel_sid = $1) AS n, messages_count AS count, next_message_index AS next,
                ARRAY(SELECT "index" FROM messages WHERE channel_sid = $1 ORDER BY "index") AS indexes
           FROM channels WHERE sid = $1`,
        [channelSid],
      )
    ).rows[0];

  beforeAll(async () => {
    ms = await startMessageService('sendlimit', { env: { CHANNEL_ACTIONS_PER_SECOND: String(PER_SECOND) } });
    // A second replica: same database, same subject prefix, same queue group (it answers about half the commands).
    second = await bootMessageService(ms.config);
    serviceSid = (await ms.send('chat.v1.cmd.service.create', { caller: system(), params: { FriendlyName: 'limits' } })).sid;
  });

  afterAll(async () => {
    await second?.app.close();
    await ms?.stop();
  });

  it('refuses SDK sends past the burst with 429 20429, whichever replica writes them, and stores exactly the accepted ones', async () => {
    const sid = await channel('busy', ['ann', 'bob']);
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => sendAs(i % 2 ? 'ann' : 'bob', sid, i)));
    const accepted = outcomes.filter((o) => o.ok);
    const refused = outcomes.filter((o) => !o.ok);
    // A full bucket lets BURST through at once; the few more are what it refilled while the 40 were written.
    expect(accepted.length).toBeGreaterThanOrEqual(BURST);
    expect(accepted.length).toBeLessThan(BURST + PER_SECOND);
    for (const r of refused) expect(r).toEqual({ ok: false, code: 20429, status: 429 });
    // Nothing refused took an index or a count.
    const n = accepted.length;
    expect(await stored(sid)).toEqual({ n, count: n, next: n, indexes: Array.from({ length: n }, (_, i) => i) });
    expect(accepted.map((a) => a.index).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('limits each channel on its own, never REST sends, and lets SDK sends in again as the allowance refills', async () => {
    const sid = await channel('full', ['cy']);
    const other = await channel('other', ['cy']);
    const first = await Promise.all(Array.from({ length: BURST + 8 }, (_, i) => sendAs('cy', sid, i)));
    expect(first.some((o) => !o.ok)).toBe(true);
    // Another channel still has its whole allowance.
    expect(await sendAs('cy', other, 0)).toEqual({ ok: true, index: 0 });
    // REST sends are the account's (api-gateway's limit), not the channel's: all go in, and charge nothing.
    const before = (await stored(sid))?.n ?? 0;
    const rest = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ms.send('chat.v1.cmd.message.create', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: sid, Body: `rest ${i}` } }),
      ),
    );
    expect(rest).toHaveLength(20);
    expect((await stored(sid))?.n).toBe(before + 20);
    // PER_SECOND a second flow back in.
    let i = 100;
    await waitFor(async () => (await sendAs('cy', sid, i++)).ok, { timeoutMs: 10_000, intervalMs: 100, description: 'the channel to take an SDK send again' });
  });

  it('answers a non-member 403 before any limit, and takes nothing from the allowance for it', async () => {
    const sid = await channel('members-only', ['dee']);
    const outsider = await Promise.all(Array.from({ length: BURST + 5 }, (_, i) => sendAs('eve', sid, i)));
    for (const o of outsider) expect(o).toEqual({ ok: false, code: 50400, status: 403 });
    const member = await Promise.all(Array.from({ length: BURST }, (_, i) => sendAs('dee', sid, i)));
    expect(member.every((o) => o.ok)).toBe(true);
  });

  it('keeps a retried send idempotent and gives back the charge of a duplicate', async () => {
    const sid = await channel('retries', ['fay']);
    const original = await sendAs('fay', sid, 7);
    expect(original).toEqual({ ok: true, index: 0 });
    // The same key again, many times: the original each time, and the allowance is not spent on them.
    const retries = await Promise.all(Array.from({ length: 4 }, () => sendAs('fay', sid, 7)));
    for (const r of retries) expect(r).toEqual({ ok: true, index: 0 });
    const fresh = await Promise.all(Array.from({ length: BURST - 1 }, (_, i) => sendAs('fay', sid, 200 + i)));
    expect(fresh.every((o) => o.ok)).toBe(true);
    expect((await stored(sid))?.n).toBe(BURST);
  });
});
