import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type twilio from 'twilio';
import { newSid } from '@parley/contracts';
import { startStack, twilioClient, type Stack } from '@parley/testing';

/**
 * Messages end to end: the unmodified `twilio` helper → api-gateway → NATS → message-service → Postgres, with the
 * real services as processes. Channels are inserted as rows (the Channels resource has its own tests).
 */
// Process start-up on a busy machine can take longer than jest's default 5 s (a project's testTimeout is not applied).
jest.setTimeout(60_000);

describe('Messages through the official twilio helper', () => {
  let stack: Stack;
  let client: twilio.Twilio;
  let base: string;
  let db: Client;
  let serviceSid: string;

  /** Every field of chat.v2.service.channel.message in the spec, nothing else. */
  const MESSAGE_FIELDS = [
    'account_sid', 'attributes', 'body', 'channel_sid', 'date_created', 'date_updated', 'from', 'index', 'last_updated_by',
    'media', 'service_sid', 'sid', 'to', 'type', 'url', 'was_edited',
  ];

  beforeAll(async () => {
    stack = await startStack({ label: 'messages', apps: ['message-service', 'api-gateway'], env: { REST_RATE_LIMIT_PER_SECOND: '100000' } });
    base = stack.get('api-gateway').url;
    client = twilioClient(base, stack.accountSid, stack.authToken);
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    serviceSid = (await client.chat.v2.services.create({ friendlyName: 'messages' })).sid;
  });

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  async function insertChannel(uniqueName: string | null = null, service = serviceSid): Promise<string> {
    const sid = newSid('CH');
    await db.query(
      `INSERT INTO channels (sid, account_sid, service_sid, friendly_name, unique_name, date_created, date_updated)
       VALUES ($1, $2, $3, 'e2e', $4, now(), now())`,
      [sid, stack.accountSid, service, uniqueName],
    );
    return sid;
  }

  async function counters(channelSid: string): Promise<{ messages_count: number; next_message_index: number; last_message_sid: string | null }> {
    const { rows } = await db.query('SELECT messages_count, next_message_index, last_message_sid FROM channels WHERE sid = $1', [channelSid]);
    return rows[0];
  }

  const messages = (channel: string) => client.chat.v2.services(serviceSid).channels(channel).messages;
  const rest = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { authorization: basic(stack), ...(init.headers ?? {}) } });

  it("creates a message with every field of the spec, typed as Twilio's", async () => {
    const channel = await insertChannel();
    const message = await messages(channel).create({ body: 'Hello', attributes: '{"test": "test"}', from: 'alice' });
    expect(message.sid).toMatch(/^IM[0-9a-f]{32}$/);
    expect(message.accountSid).toBe(stack.accountSid);
    expect(message.serviceSid).toBe(serviceSid);
    expect(message.channelSid).toBe(channel);
    expect(message.to).toBe(channel);
    expect(message.attributes).toBe('{"test": "test"}');
    expect(message.body).toBe('Hello');
    expect(message.from).toBe('alice');
    expect(message.index).toBe(0);
    expect(message.type).toBe('text');
    expect(message.media).toBeNull();
    expect(message.wasEdited).toBe(false);
    expect(message.lastUpdatedBy).toBeNull();
    expect(message.dateCreated).toBeInstanceOf(Date);
    expect(message.dateUpdated).toBeInstanceOf(Date);
    expect(message.url).toBe(`${base}/v2/Services/${serviceSid}/Channels/${channel}/Messages/${message.sid}`);

    const res = await rest(`/v2/Services/${serviceSid}/Channels/${channel}/Messages/${message.sid}`);
    expect(res.status).toBe(200);
    const json = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(MESSAGE_FIELDS);
    expect(json.date_created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(json.index).toBe(0);

    const system = await messages(channel).create({ body: 'from nobody' });
    expect(system.from).toBe('system');
    expect(system.index).toBe(1);
    expect(await counters(channel)).toMatchObject({ messages_count: 2, next_message_index: 2, last_message_sid: system.sid });
  });

  it('accepts X-Twilio-Webhook-Enabled on create, update and delete', async () => {
    const channel = await insertChannel();
    const created = await messages(channel).create({ body: 'hooked', xTwilioWebhookEnabled: 'true' });
    expect(created.index).toBe(0);
    const updated = await messages(channel)(created.sid).update({ body: 'rehooked', xTwilioWebhookEnabled: 'false' });
    expect(updated.body).toBe('rehooked');
    await expect(messages(channel)(created.sid).remove({ xTwilioWebhookEnabled: 'true' })).resolves.toBe(true);
  });

  it('addresses the channel by its unique name, and builds urls on the channel sid', async () => {
    const uniqueName = `general-${randomBytes(3).toString('hex')}`;
    const channel = await insertChannel(uniqueName);
    const message = await messages(uniqueName).create({ body: 'by name' });
    expect(message.channelSid).toBe(channel);
    expect(message.url).toBe(`${base}/v2/Services/${serviceSid}/Channels/${channel}/Messages/${message.sid}`);
    const fetched = await messages(uniqueName)(message.sid).fetch();
    expect(fetched.sid).toBe(message.sid);
    const listed = await messages(uniqueName).list();
    expect(listed.map((m) => m.sid)).toEqual([message.sid]);
  });

  it('fetches, updates (edited, attributes, backfill) and deletes', async () => {
    const channel = await insertChannel();
    const created = await messages(channel).create({ body: 'draft' });
    const fetched = await messages(channel)(created.sid).fetch();
    expect(fetched.body).toBe('draft');
    expect(fetched.index).toBe(created.index);

    const updated = await messages(channel)(created.sid).update({
      body: 'final',
      attributes: '{"edited":true}',
      lastUpdatedBy: 'bob',
      dateCreated: new Date('2015-12-16T22:18:37Z'),
    });
    expect(updated.body).toBe('final');
    expect(updated.attributes).toBe('{"edited":true}');
    expect(updated.wasEdited).toBe(true);
    expect(updated.lastUpdatedBy).toBe('bob');
    expect(updated.dateCreated.toISOString()).toBe('2015-12-16T22:18:37.000Z');
    expect(updated.index).toBe(created.index);

    await expect(messages(channel)(created.sid).remove()).resolves.toBe(true);
    await expect(messages(channel)(created.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(messages(channel)(created.sid).remove()).rejects.toMatchObject({ status: 404, code: 20404 });
    expect(await counters(channel)).toMatchObject({ messages_count: 0, next_message_index: 1, last_message_sid: null });
  });

  it('lists ascending by default, descending with Order=desc, across pages following next_page_url', async () => {
    const channel = await insertChannel();
    const sent = [];
    for (let i = 0; i < 7; i++) sent.push(await messages(channel).create({ body: `m${i}` }));

    const asc = await messages(channel).list({ pageSize: 3 });
    expect(asc.map((m) => m.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const desc = await messages(channel).list({ order: 'desc', pageSize: 3 });
    expect(desc.map((m) => m.index)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(desc.map((m) => m.sid)).toEqual([...sent].reverse().map((m) => m.sid));

    const page = await messages(channel).page({ order: 'desc', pageSize: 3 });
    expect(page.instances.map((m) => m.index)).toEqual([6, 5, 4]);
    expect(page.nextPageUrl).toMatch(new RegExp(`^${base}/v2/Services/${serviceSid}/Channels/${channel}/Messages\\?`));
    expect(page.nextPageUrl).toContain('Order=desc');
    const second = await page.nextPage();
    expect(second?.instances.map((m) => m.index)).toEqual([3, 2, 1]);
    const back = await second?.previousPage();
    expect(back?.instances.map((m) => m.index)).toEqual([6, 5, 4]);

    const res = await rest(`/v2/Services/${serviceSid}/Channels/${channel}/Messages`);
    const body = (await res.json()) as { meta: Record<string, unknown>; messages: unknown[] };
    expect(body.meta).toMatchObject({ page: 0, page_size: 50, key: 'messages', next_page_url: null, previous_page_url: null });
    expect(body.meta.first_page_url).toBe(`${base}/v2/Services/${serviceSid}/Channels/${channel}/Messages?PageSize=50&Page=0`);
    expect(body.messages).toHaveLength(7);
  });

  it('answers errors as Twilio does, as RestExceptions with status and code, and writes nothing', async () => {
    const channel = await insertChannel();
    await expect(messages(channel).create({})).rejects.toMatchObject({ status: 400, code: 50503 });
    await expect(messages(channel).create({ body: 'x'.repeat(32 * 1024 + 1) })).rejects.toMatchObject({ status: 400, code: 50504 });
    await expect(messages(channel).create({ body: 'x', attributes: 'not json' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(messages(channel).create({ body: 'x', mediaSid: 'MEnope' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(messages(channel).create({ body: 'x', dateCreated: new Date('invalid') })).rejects.toMatchObject({ status: 400 });
    await expect(messages(channel).list({ order: 'sideways' as 'asc' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(messages(newSid('CH')).create({ body: 'x' })).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(messages('no-such-room').list()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.chat.v2.services(newSid('IS')).channels(channel).messages.create({ body: 'x' })).rejects.toMatchObject({
      status: 404,
      code: 20404,
    });
    await expect(messages(channel)(newSid('IM')).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    const badSid = await rest(`/v2/Services/${serviceSid}/Channels/${channel}/Messages/not-a-sid`);
    expect(badSid.status).toBe(404);
    expect(await badSid.json()).toMatchObject({ code: 20404, status: 404, more_info: 'https://www.twilio.com/docs/errors/20404' });
    expect(await counters(channel)).toMatchObject({ messages_count: 0, next_message_index: 0 });
  });

  it("answers 404 for a channel of another account's service, exactly like an unknown one", async () => {
    const otherAccount = `AC${randomBytes(16).toString('hex')}`;
    await db.query(
      `INSERT INTO accounts (sid, friendly_name, status, type, auth_token_hash, date_created, date_updated)
       VALUES ($1, 'other', 'active', 'Full', 'x', now(), now())`,
      [otherAccount],
    );
    const theirService = newSid('IS');
    await db.query(
      `INSERT INTO services (sid, account_sid, friendly_name, date_created, date_updated) VALUES ($1, $2, 'theirs', now(), now())`,
      [theirService, otherAccount],
    );
    const theirChannel = newSid('CH');
    await db.query(
      `INSERT INTO channels (sid, account_sid, service_sid, date_created, date_updated) VALUES ($1, $2, $3, now(), now())`,
      [theirChannel, otherAccount, theirService],
    );
    const foreign = client.chat.v2.services(theirService).channels(theirChannel).messages;
    await expect(foreign.create({ body: 'x' })).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(foreign.list()).rejects.toMatchObject({ status: 404, code: 20404 });
    expect(await counters(theirChannel)).toMatchObject({ messages_count: 0 });
  });

  it('does not take an idempotency key over REST: every POST is a new message', async () => {
    const channel = await insertChannel();
    const post = () =>
      rest(`/v2/Services/${serviceSid}/Channels/${channel}/Messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ Body: 'twice', IdempotencyKey: 'k' }).toString(),
      });
    const [a, b] = [await post(), await post()];
    expect([a.status, b.status]).toEqual([201, 201]);
    const [ja, jb] = [(await a.json()) as { sid: string; index: number }, (await b.json()) as { sid: string; index: number }];
    expect(ja.sid).not.toBe(jb.sid);
    expect([ja.index, jb.index]).toEqual([0, 1]);
  });

  it('keeps indexes unique and the count exact under concurrent REST sends', async () => {
    const channel = await insertChannel();
    const sent = await Promise.all(Array.from({ length: 50 }, (_, i) => messages(channel).create({ body: `c${i}` })));
    expect(sent.map((m) => m.index).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(await counters(channel)).toMatchObject({ messages_count: 50, next_message_index: 50 });
  });
});

function basic(stack: Stack): string {
  return `Basic ${Buffer.from(`${stack.accountSid}:${stack.authToken}`).toString('base64')}`;
}
