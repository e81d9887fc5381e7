import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { newSid, type MessageResource } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import type { MessageConfig } from '../../../apps/message-service/src/config/message.config';
import { hashAuthToken } from '../../../apps/message-service/src/crypto/token-hash';
import { startMessageService, type MessageService, type CollectedEvent, failureCodeOf } from './harness';

/*
 * message-service in-process against the machine's real Postgres and NATS (a database cloned from the migrated
 * template, a NATS subject prefix of its own), driven over NATS with the Message commands. Channels are inserted
 * as rows: the Channels resource is not what is tested here.
 */

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

interface ChannelRow {
  messages_count: number;
  next_message_index: number;
  last_message_sid: string | null;
  last_message_index: number | null;
  last_message_date: Date | null;
}

// Process start-up on a busy machine can take longer than jest's default 5 s (a project's testTimeout is not applied).
jest.setTimeout(60_000);

describe('message-service: Messages over NATS', () => {
  let ms: MessageService;
  let config: MessageConfig;
  let pg: Client;
  let serviceSid: string;

  const system = (accountSid?: string) => ms.system(accountSid);
  const sdkUser = (identity: string, service = serviceSid) => ms.sdkUser(service, identity);
  const send: MessageService['send'] = (subject, payload) => ms.send(subject, payload);
  const create = (channel: string, params: Record<string, string> = { Body: 'hello' }, caller = system()) =>
    send('chat.v1.cmd.message.create', { caller, params: { ServiceSid: serviceSid, ChannelSid: channel, ...params } });

  /** An SDK user's membership (with the Service's default channel role): only members send and read. */
  const join = (channel: string, identity: string) =>
    send('chat.v1.cmd.member.create', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel, Identity: identity } });

  /** A channel as the Channels resource would store it. */
  async function insertChannel(opts: { uniqueName?: string; service?: string; account?: string } = {}): Promise<string> {
    const sid = newSid('CH');
    await pg.query(
      `INSERT INTO channels (sid, account_sid, service_sid, friendly_name, unique_name, date_created, date_updated)
       VALUES ($1, $2, $3, 'test', $4, now(), now())`,
      [sid, opts.account ?? config.PARLEY_ACCOUNT_SID, opts.service ?? serviceSid, opts.uniqueName ?? null],
    );
    return sid;
  }

  async function channelRow(sid: string): Promise<ChannelRow> {
    const { rows } = await pg.query<ChannelRow>(
      'SELECT messages_count, next_message_index, last_message_sid, last_message_index, last_message_date FROM channels WHERE sid = $1',
      [sid],
    );
    if (!rows[0]) throw new Error(`no channel ${sid}`);
    return rows[0];
  }

  async function messageCount(channelSid: string): Promise<number> {
    const { rows } = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE channel_sid = $1', [channelSid]);
    return rows[0]?.n ?? -1;
  }

  const eventsFor = (name: string, sid: string) =>
    ms.events.filter((e) => e.name === name && (e.payload as MessageResource).sid === sid) as (CollectedEvent & { payload: MessageResource })[];

  /** message-service's own count of send batches and of the sends they wrote (its /metrics). */
  async function batchMetrics(): Promise<{ batches: number; sends: number }> {
    const text = await (await fetch(`${ms.url}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    return { batches: value('parley_message_send_batch_size_count'), sends: value('parley_message_send_batch_size_sum') };
  }

  beforeAll(async () => {
    ms = await startMessageService('msg', { poolSize: 20 });
    ({ config, pg } = ms);
    serviceSid = (await send('chat.v1.cmd.service.create', { caller: system(), params: { FriendlyName: 'messages' } })).sid;
  });

  afterAll(() => ms?.stop());

  describe('create', () => {
    it("stores a message with Twilio's fields, indexes it from 0 and keeps the channel's counters", async () => {
      const channel = await insertChannel();
      const first = await create(channel, { Body: 'hello' });
      expect(first).toEqual({
        sid: expect.stringMatching(/^IM[0-9a-f]{32}$/),
        account_sid: config.PARLEY_ACCOUNT_SID,
        attributes: '{}',
        service_sid: serviceSid,
        to: channel,
        channel_sid: channel,
        date_created: expect.stringMatching(DATE),
        date_updated: expect.stringMatching(DATE),
        last_updated_by: null,
        was_edited: false,
        from: 'system',
        body: 'hello',
        index: 0,
        type: 'text',
        media: null,
      });
      const second = await create(channel, { Body: 'again', From: 'alice', Attributes: '{"k":"v"}' });
      expect(second).toMatchObject({ index: 1, from: 'alice', attributes: '{"k":"v"}' });

      expect(await channelRow(channel)).toMatchObject({
        messages_count: 2,
        next_message_index: 2,
        last_message_sid: second.sid,
        last_message_index: 1,
      });
      // The reply is built from what was written: a fetch reads the same.
      await expect(
        send('chat.v1.cmd.message.fetch', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel, Sid: second.sid } }),
      ).resolves.toEqual(second);
    });

    it('publishes message.added after the commit with the full resource', async () => {
      const channel = await insertChannel();
      const message = await create(channel, { Body: 'announce me' });
      const event = await waitFor(() => eventsFor('message.added', message.sid)[0], { timeoutMs: 5000, description: 'message.added' });
      expect(event.serviceSid).toBe(serviceSid);
      expect(event.payload).toEqual(message);
    });

    it('addresses the channel by its unique name', async () => {
      const uniqueName = `room-${randomBytes(4).toString('hex')}`;
      const channel = await insertChannel({ uniqueName });
      const message = await create(uniqueName, { Body: 'by name' });
      expect(message).toMatchObject({ channel_sid: channel, to: channel, index: 0 });
      expect((await channelRow(channel)).messages_count).toBe(1);
    });

    it('records a media message and backfilled dates', async () => {
      const channel = await insertChannel();
      const media = await create(channel, { MediaSid: `ME${'1'.repeat(32)}` });
      expect(media).toMatchObject({ type: 'media', body: null, media: { sid: `ME${'1'.repeat(32)}` } });
      const backfilled = await create(channel, {
        Body: 'Hello',
        DateCreated: '2015-12-16T22:18:37Z',
        DateUpdated: '2015-12-16T22:18:38Z',
        LastUpdatedBy: 'username',
      });
      expect(backfilled).toMatchObject({
        date_created: '2015-12-16T22:18:37Z',
        date_updated: '2015-12-16T22:18:38Z',
        last_updated_by: 'username',
        was_edited: true,
      });
    });

    it.each<[string, () => Promise<string>, { code: number; status: number }]>([
      ['an unknown channel', async () => newSid('CH'), { code: 20404, status: 404 }],
      ['an unknown unique name', async () => 'no-such-room', { code: 20404, status: 404 }],
    ])('answers 404 for %s and writes nothing', async (_, channelOf, expected) => {
      expect(await failureCodeOf(create(await channelOf()))).toEqual(expected);
    });

    it('answers 404 for an unknown service, and for a channel of another service or account', async () => {
      const channel = await insertChannel();
      const unknownService = send('chat.v1.cmd.message.create', {
        caller: system(),
        params: { ServiceSid: newSid('IS'), ChannelSid: channel, Body: 'x' },
      });
      expect(await failureCodeOf(unknownService)).toEqual({ code: 20404, status: 404 });

      const otherService = (await send('chat.v1.cmd.service.create', { caller: system(), params: { FriendlyName: 'other' } })).sid;
      const elsewhere = await insertChannel({ service: otherService });
      expect(await failureCodeOf(create(elsewhere))).toEqual({ code: 20404, status: 404 });

      const otherAccount = `AC${randomBytes(16).toString('hex')}`;
      await pg.query(
        `INSERT INTO accounts (sid, friendly_name, status, type, auth_token_hash, date_created, date_updated)
         VALUES ($1, 'other', 'active', 'Full', $2, now(), now())`,
        [otherAccount, hashAuthToken(config.PARLEY_SECRET_KEY, randomBytes(16).toString('hex'))],
      );
      const foreign = await send('chat.v1.cmd.message.create', {
        caller: system(),
        params: { ServiceSid: serviceSid, ChannelSid: channel, Body: 'mine' },
      });
      expect(
        await failureCodeOf(
          send('chat.v1.cmd.message.fetch', { caller: system(otherAccount), params: { ServiceSid: serviceSid, ChannelSid: channel, Sid: foreign.sid } }),
        ),
      ).toEqual({ code: 20404, status: 404 });
      expect(
        await failureCodeOf(
          send('chat.v1.cmd.message.create', { caller: system(otherAccount), params: { ServiceSid: serviceSid, ChannelSid: channel, Body: 'x' } }),
        ),
      ).toEqual({ code: 20404, status: 404 });
      expect((await channelRow(channel)).messages_count).toBe(1);
    });

    it.each<[string, Record<string, string>, { code: number; status: number }]>([
      ['no body and no media', { Attributes: '{}' }, { code: 50503, status: 400 }],
      ['a body over 32 KiB', { Body: 'x'.repeat(32 * 1024 + 1) }, { code: 50504, status: 400 }],
      ['attributes that are no JSON object', { Body: 'x', Attributes: '[1' }, { code: 20001, status: 400 }],
      ['an author over 256 characters', { Body: 'x', From: 'a'.repeat(257) }, { code: 50310, status: 400 }],
      ['a NUL character in the body', { Body: 'nul\u0000' }, { code: 20001, status: 400 }],
    ])('refuses %s and writes nothing', async (_, params, expected) => {
      const channel = await insertChannel();
      expect(await failureCodeOf(create(channel, params))).toEqual(expected);
      expect(await channelRow(channel)).toMatchObject({ messages_count: 0, next_message_index: 0 });
    });

    it('keeps an SDK user to the service of its token', async () => {
      const channel = await insertChannel();
      await join(channel, 'alice');
      const mine = await create(channel, { Body: 'from the sdk', From: 'someone-else' }, sdkUser('alice'));
      expect(mine.from).toBe('alice');
      expect(await failureCodeOf(create(channel, { Body: 'x' }, sdkUser('alice', newSid('IS'))))).toEqual({ code: 50107, status: 403 });
    });
  });

  describe('concurrency', () => {
    it('gives 200 concurrent sends the indexes 0..199, each once, and an exact messages_count', async () => {
      const channel = await insertChannel();
      const sent = await Promise.all(Array.from({ length: 200 }, (_, i) => create(channel, { Body: `m${i}` })));
      expect(sent.map((m) => m.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(new Set(sent.map((m) => m.sid)).size).toBe(200);
      expect(await channelRow(channel)).toMatchObject({ messages_count: 200, next_message_index: 200, last_message_index: 199 });
      expect(await messageCount(channel)).toBe(200);
      const { rows } = await pg.query<{ body: string; index: number }>('SELECT body, index FROM messages WHERE channel_sid = $1', [channel]);
      const indexOfBody = new Map(sent.map((m) => [m.body, m.index]));
      for (const row of rows) expect(row.index).toBe(indexOfBody.get(row.body));
    });

    it('writes concurrent sends to one channel in shared statements (group commit)', async () => {
      const channel = await insertChannel();
      const before = await batchMetrics();
      await Promise.all(Array.from({ length: 100 }, (_, i) => create(channel, { Body: `g${i}` })));
      const after = await batchMetrics();
      expect(after.sends - before.sends).toBe(100);
      // One statement per send would be 100 batches; sends that wait behind an in-flight write share the next one.
      expect(after.batches - before.batches).toBeLessThan(100);
      expect((await channelRow(channel)).messages_count).toBe(100);
    });

    it('sends to different channels at the same time without mixing their indexes', async () => {
      const [a, b] = [await insertChannel(), await insertChannel()];
      const sent = await Promise.all(Array.from({ length: 60 }, (_, i) => create(i % 2 ? a : b, { Body: `x${i}` })));
      for (const channel of [a, b]) {
        const indexes = sent.filter((m) => m.channel_sid === channel).map((m) => m.index).sort((x, y) => x - y);
        expect(indexes).toEqual(Array.from({ length: 30 }, (_, i) => i));
        expect((await channelRow(channel)).messages_count).toBe(30);
      }
    });
  });

  describe('idempotent sends', () => {
    it('answers a retry with the original message and does not count or announce it again', async () => {
      const channel = await insertChannel();
      await join(channel, 'alice');
      await create(channel, { Body: 'before' });
      const original = await create(channel, { Body: 'once', IdempotencyKey: 'send-1' }, sdkUser('alice'));
      const retry = await create(channel, { Body: 'once', IdempotencyKey: 'send-1' }, sdkUser('alice'));
      expect(retry).toEqual(original);
      expect(original.index).toBe(1);
      expect(await channelRow(channel)).toMatchObject({ messages_count: 2, next_message_index: 2, last_message_sid: original.sid });
      const next = await create(channel, { Body: 'after' });
      expect(next.index).toBe(2);
      await waitFor(() => eventsFor('message.added', next.sid).length === 1, { timeoutMs: 5000, description: 'the later event' });
      expect(eventsFor('message.added', original.sid)).toHaveLength(1);
    });

    it('stores one message for concurrent retries with one key, and all of them get it', async () => {
      const channel = await insertChannel();
      await join(channel, 'bob');
      const replies = await Promise.all(
        Array.from({ length: 25 }, () => create(channel, { Body: 'racing', IdempotencyKey: 'same-key' }, sdkUser('bob'))),
      );
      expect(new Set(replies.map((r) => r.sid)).size).toBe(1);
      expect(new Set(replies.map((r) => r.index))).toEqual(new Set([0]));
      expect(await messageCount(channel)).toBe(1);
      expect(await channelRow(channel)).toMatchObject({ messages_count: 1, next_message_index: 1 });
    });

    it('keeps keys per channel, and mixes with unkeyed sends under concurrency', async () => {
      const [a, b] = [await insertChannel(), await insertChannel()];
      const inA = await create(a, { Body: 'x', IdempotencyKey: 'k' });
      const inB = await create(b, { Body: 'x', IdempotencyKey: 'k' });
      expect(inA.sid).not.toBe(inB.sid);

      const mixed = await Promise.all(
        Array.from({ length: 40 }, (_, i) => create(a, i % 2 ? { Body: `plain${i}` } : { Body: 'keyed', IdempotencyKey: `k${i % 4}` })),
      );
      // 20 unkeyed sends plus keys k0 and k2 (each used 10 times) on top of the first keyed send.
      expect(new Set(mixed.map((m) => m.sid)).size).toBe(22);
      expect(await channelRow(a)).toMatchObject({ messages_count: 23, next_message_index: 23 });
      expect(await messageCount(a)).toBe(23);
    });
  });

  describe('update and delete', () => {
    it('edits a message, marks it edited and publishes message.updated', async () => {
      const channel = await insertChannel();
      const message = await create(channel, { Body: 'draft' });
      const updated = await send('chat.v1.cmd.message.update', {
        caller: system(),
        params: { ServiceSid: serviceSid, ChannelSid: channel, Sid: message.sid, Body: 'final', Attributes: '{"edited":true}' },
      });
      expect(updated).toMatchObject({ sid: message.sid, index: message.index, body: 'final', attributes: '{"edited":true}', was_edited: true, last_updated_by: 'system' });
      const event = await waitFor(() => eventsFor('message.updated', message.sid)[0], { timeoutMs: 5000, description: 'message.updated' });
      expect(event.payload).toEqual(updated);
      expect(
        await failureCodeOf(
          send('chat.v1.cmd.message.update', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel, Sid: newSid('IM'), Body: 'x' } }),
        ),
      ).toEqual({ code: 20404, status: 404 });
    });

    it('deletes a message: the count goes down, the last message moves back, indexes are not reused', async () => {
      const channel = await insertChannel();
      const [m0, m1, m2] = [await create(channel), await create(channel), await create(channel)];
      const del = (sid: string) =>
        send('chat.v1.cmd.message.delete', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel, Sid: sid } });

      await expect(del(m2.sid)).resolves.toEqual({});
      expect(await channelRow(channel)).toMatchObject({ messages_count: 2, next_message_index: 3, last_message_sid: m1.sid, last_message_index: 1 });
      await expect(del(m0.sid)).resolves.toEqual({});
      expect(await channelRow(channel)).toMatchObject({ messages_count: 1, last_message_sid: m1.sid });
      expect(await failureCodeOf(del(m0.sid))).toEqual({ code: 20404, status: 404 });

      const event = await waitFor(() => eventsFor('message.removed', m2.sid)[0], { timeoutMs: 5000, description: 'message.removed' });
      expect(event.payload).toEqual(m2);

      const m3 = await create(channel);
      expect(m3.index).toBe(3);
      await del(m1.sid);
      await del(m3.sid);
      expect(await channelRow(channel)).toMatchObject({ messages_count: 0, next_message_index: 4, last_message_sid: null, last_message_index: null });
    });

    it('keeps counts exact when sends and deletes race', async () => {
      const channel = await insertChannel();
      const first = await Promise.all(Array.from({ length: 30 }, () => create(channel)));
      await Promise.all([
        ...first.slice(0, 15).map((m) =>
          send('chat.v1.cmd.message.delete', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel, Sid: m.sid } }),
        ),
        ...Array.from({ length: 15 }, () => create(channel)),
      ]);
      expect(await channelRow(channel)).toMatchObject({ messages_count: 30, next_message_index: 45 });
      expect(await messageCount(channel)).toBe(30);
    });
  });

  describe('list', () => {
    let channel: string;
    let all: MessageResource[];

    beforeAll(async () => {
      channel = await insertChannel({ uniqueName: `list-${randomBytes(4).toString('hex')}` });
      all = [];
      for (let i = 0; i < 7; i++) all.push(await create(channel, { Body: `n${i}` }));
    });

    const list = (params: Record<string, string | number> = {}) =>
      send('chat.v1.cmd.message.list', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel, ...params } });

    async function walk(order: 'asc' | 'desc', pageSize: number): Promise<number[]> {
      const seen: number[] = [];
      let page = await list({ Order: order, PageSize: pageSize });
      seen.push(...page.items.map((m) => m.index));
      while (page.nextPageToken) {
        page = await list({ Order: order, PageSize: pageSize, PageToken: page.nextPageToken });
        seen.push(...page.items.map((m) => m.index));
      }
      return seen;
    }

    it('pages ascending by default and descending on request, following page tokens', async () => {
      expect(await walk('asc', 3)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(await walk('desc', 3)).toEqual([6, 5, 4, 3, 2, 1, 0]);
      const first = await list();
      expect(first.pageSize).toBe(50);
      expect(first.items).toEqual(all);
      expect(first.nextPageToken).toBeNull();
    });

    it('goes back with the previous-page token', async () => {
      const p1 = await list({ Order: 'desc', PageSize: 3 });
      const p2 = await list({ Order: 'desc', PageSize: 3, PageToken: p1.nextPageToken ?? '' });
      expect(p2.items.map((m) => m.index)).toEqual([3, 2, 1]);
      const back = await list({ Order: 'desc', PageSize: 3, PageToken: p2.previousPageToken ?? '' });
      expect(back.items.map((m) => m.index)).toEqual([6, 5, 4]);
    });

    it.each<[string, Record<string, string | number>]>([
      ['a page size over 100', { PageSize: 101 }],
      ['an unknown order', { Order: 'newest' }],
      ['a forged page token', { PageToken: 'PTnotatoken' }],
    ])('refuses %s with 400 20001', async (_, params) => {
      expect(await failureCodeOf(list(params))).toEqual({ code: 20001, status: 400 });
    });

    it('refuses a token of the other order', async () => {
      const asc = await list({ PageSize: 2 });
      expect(await failureCodeOf(list({ Order: 'desc', PageSize: 2, PageToken: asc.nextPageToken ?? '' }))).toEqual({ code: 20001, status: 400 });
    });
  });

  describe('SDK commands', () => {
    let channel: string;

    beforeAll(async () => {
      channel = await insertChannel();
      await join(channel, 'alice');
      for (let i = 0; i < 12; i++) await create(channel, { Body: `s${i}` });
    });

    it('list-after answers the messages after an index, and says when the answer is incomplete', async () => {
      const complete = await send('chat.v1.cmd.message.list-after', { caller: sdkUser('alice'), params: { channel, afterIndex: 8 } });
      expect(complete.messages.map((m) => m.index)).toEqual([9, 10, 11]);
      expect(complete.more).toBe(false);

      const bounded = await send('chat.v1.cmd.message.list-after', { caller: sdkUser('alice'), params: { channel, afterIndex: -1, limit: 5 } });
      expect(bounded.messages.map((m) => m.index)).toEqual([0, 1, 2, 3, 4]);
      expect(bounded.more).toBe(true);

      const exact = await send('chat.v1.cmd.message.list-after', { caller: sdkUser('alice'), params: { channel, afterIndex: 6, limit: 5 } });
      expect(exact.messages.map((m) => m.index)).toEqual([7, 8, 9, 10, 11]);
      expect(exact.more).toBe(false);
    });

    it('page walks backwards from the latest and forward from an anchor', async () => {
      const latest = await send('chat.v1.cmd.message.page', { caller: sdkUser('alice'), params: { channel, pageSize: 5, direction: 'backwards' } });
      expect(latest.messages.map((m) => m.index)).toEqual([7, 8, 9, 10, 11]);
      expect(latest).toMatchObject({ olderAnchor: 6, newerAnchor: null });
      const older = await send('chat.v1.cmd.message.page', {
        caller: sdkUser('alice'),
        params: { channel, pageSize: 5, anchor: latest.olderAnchor ?? 0, direction: 'backwards' },
      });
      expect(older.messages.map((m) => m.index)).toEqual([2, 3, 4, 5, 6]);
      expect(older).toMatchObject({ olderAnchor: 1, newerAnchor: 7 });
      const forward = await send('chat.v1.cmd.message.page', { caller: sdkUser('alice'), params: { channel, pageSize: 4, anchor: 9, direction: 'forward' } });
      expect(forward.messages.map((m) => m.index)).toEqual([9, 10, 11]);
      expect(forward).toMatchObject({ olderAnchor: 8, newerAnchor: null });
    });

    it('needs the service of the caller and a known channel', async () => {
      expect(await failureCodeOf(send('chat.v1.cmd.message.list-after', { caller: system(), params: { channel, afterIndex: 0 } }))).toEqual({
        code: 20001,
        status: 400,
      });
      expect(
        await failureCodeOf(send('chat.v1.cmd.message.page', { caller: sdkUser('alice'), params: { channel: newSid('CH'), pageSize: 5, direction: 'forward' } })),
      ).toEqual({ code: 20404, status: 404 });
    });
  });
});
