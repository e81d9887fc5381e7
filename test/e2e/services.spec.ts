import type twilio from 'twilio';
import { startStack, twilioClient, type Stack } from '@parley/testing';

/**
 * The first vertical slice end to end: the unmodified `twilio` helper → api-gateway → NATS →
 * message-service → Postgres, with the real services running as processes.
 */
describe('Services resource through the official twilio helper', () => {
  let stack: Stack;
  let client: twilio.Twilio;
  let base: string;

  beforeAll(async () => {
    stack = await startStack({ label: 'services', apps: ['message-service', 'api-gateway'] });
    base = stack.get('api-gateway').url;
    client = twilioClient(base, stack.accountSid, stack.authToken);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('creates a Service with Twilio shapes and its four default roles', async () => {
    const service = await client.chat.v2.services.create({ friendlyName: 'first' });
    expect(service.sid).toMatch(/^IS[0-9a-f]{32}$/);
    expect(service.accountSid).toBe(stack.accountSid);
    expect(service.friendlyName).toBe('first');
    expect(service.reachabilityEnabled).toBe(false);
    expect(service.readStatusEnabled).toBe(true);
    expect(service.typingIndicatorTimeout).toBe(5);
    expect(service.limits).toEqual({ channel_members: 250, user_channels: 100 });
    expect(service.dateCreated).toBeInstanceOf(Date);
    expect(service.url).toBe(`${base}/v2/Services/${service.sid}`);
    expect(service.links).toEqual({
      channels: `${base}/v2/Services/${service.sid}/Channels`,
      users: `${base}/v2/Services/${service.sid}/Users`,
      roles: `${base}/v2/Services/${service.sid}/Roles`,
      bindings: `${base}/v2/Services/${service.sid}/Bindings`,
    });
    for (const roleSid of [service.defaultServiceRoleSid, service.defaultChannelRoleSid, service.defaultChannelCreatorRoleSid]) {
      expect(roleSid).toMatch(/^RL[0-9a-f]{32}$/);
    }
    expect(new Set([service.defaultServiceRoleSid, service.defaultChannelRoleSid, service.defaultChannelCreatorRoleSid]).size).toBe(3);
  });

  it('renders dates as Twilio does (second precision, literal Z)', async () => {
    const service = await client.chat.v2.services.create({ friendlyName: 'dates' });
    const res = await fetch(`${base}/v2/Services/${service.sid}`, { headers: { authorization: basic(stack) } });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.date_created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(body.date_updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('fetches, updates with dotted and boolean parameters, and deletes', async () => {
    const created = await client.chat.v2.services.create({ friendlyName: 'to-update' });
    const fetched = await client.chat.v2.services(created.sid).fetch();
    expect(fetched.sid).toBe(created.sid);

    const updated = await client.chat.v2.services(created.sid).update({
      friendlyName: 'renamed',
      reachabilityEnabled: true,
      typingIndicatorTimeout: 9,
      'limits.channelMembers': 10,
      'notifications.newMessage.enabled': true,
      'notifications.newMessage.template': 'New: ${MESSAGE}',
      webhookFilters: ['onMessageSend', 'onChannelAdd'],
    });
    expect(updated.friendlyName).toBe('renamed');
    expect(updated.reachabilityEnabled).toBe(true);
    expect(updated.typingIndicatorTimeout).toBe(9);
    expect(updated.limits).toEqual({ channel_members: 10, user_channels: 100 });
    expect((updated.notifications as { new_message: { enabled: boolean; template: string } }).new_message).toMatchObject({
      enabled: true,
      template: 'New: ${MESSAGE}',
    });
    expect(updated.webhookFilters).toEqual(['onMessageSend', 'onChannelAdd']);

    await expect(client.chat.v2.services(created.sid).remove()).resolves.toBe(true);
    await expect(client.chat.v2.services(created.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('lists across pages following next_page_url', async () => {
    const names = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'];
    const created = [];
    for (const friendlyName of names) created.push(await client.chat.v2.services.create({ friendlyName }));
    const listed = await client.chat.v2.services.list({ pageSize: 2 });
    const sids = listed.map((s) => s.sid);
    expect(new Set(sids).size).toBe(sids.length);
    for (const s of created) expect(sids).toContain(s.sid);

    const page = await client.chat.v2.services.page({ pageSize: 2 });
    expect(page.instances).toHaveLength(2);
    expect(page.nextPageUrl).toMatch(new RegExp(`^${base}/v2/Services\\?`));
  });

  it('rejects a wrong password with 401 and code 20003', async () => {
    const wrong = twilioClient(base, stack.accountSid, 'f'.repeat(32));
    await expect(wrong.chat.v2.services.list()).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  it('answers bad input with Twilio error JSON and writes nothing', async () => {
    const existing = await client.chat.v2.services.create({ friendlyName: 'unchanged' });
    const before = await countServices();
    const cases: [string, string, RequestInit, number][] = [
      ['missing FriendlyName', '/v2/Services', { method: 'POST', body: form({}) }, 400],
      ['wrong type', `/v2/Services/${existing.sid}`, { method: 'POST', body: form({ ReachabilityEnabled: 'maybe' }) }, 400],
      ['out of range', `/v2/Services/${existing.sid}`, { method: 'POST', body: form({ 'Limits.ChannelMembers': '5000' }) }, 400],
      ['malformed body', '/v2/Services', { method: 'POST', body: '%E0%A4%A', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 400],
    ];
    for (const [name, path, init, status] of cases) {
      const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: basic(stack), ...(init.headers ?? {}) } });
      expect({ name, status: res.status }).toEqual({ name, status });
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ status, more_info: expect.stringMatching(/^https:\/\/www\.twilio\.com\/docs\/errors\/\d+$/) });
      expect(typeof body.code).toBe('number');
      expect(typeof body.message).toBe('string');
    }
    const badSid = await fetch(`${base}/v2/Services/not-a-sid`, { headers: { authorization: basic(stack) } });
    expect(badSid.status).toBe(404);
    expect(await badSid.json()).toMatchObject({ code: 20404, status: 404 });
    expect(await countServices()).toBe(before);
    const after = await client.chat.v2.services(existing.sid).fetch();
    expect(after.reachabilityEnabled).toBe(false);
    expect(after.limits).toEqual({ channel_members: 250, user_channels: 100 });
    expect(after.dateUpdated.getTime()).toBe(existing.dateUpdated.getTime());
  });

  it("answers 404 for another account's service, exactly like an unknown one", async () => {
    const mine = await client.chat.v2.services.create({ friendlyName: 'mine' });
    const { Client } = await import('pg');
    const db = new Client({ connectionString: stack.database.url });
    await db.connect();
    const otherAccount = `AC${'0'.repeat(31)}9`;
    try {
      await db.query(
        `INSERT INTO accounts (sid, friendly_name, status, type, auth_token_hash, date_created, date_updated)
         VALUES ($1, 'other', 'active', 'Full', 'x', now(), now()) ON CONFLICT DO NOTHING`,
        [otherAccount],
      );
      await db.query('UPDATE services SET account_sid = $1 WHERE sid = $2', [otherAccount, mine.sid]);
    } finally {
      await db.end();
    }
    const foreign = await fetch(`${base}/v2/Services/${mine.sid}`, { headers: { authorization: basic(stack) } });
    const unknown = await fetch(`${base}/v2/Services/IS${'a'.repeat(32)}`, { headers: { authorization: basic(stack) } });
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    const [a, b] = [(await foreign.json()) as { code: number }, (await unknown.json()) as { code: number }];
    expect(a.code).toBe(b.code);
    await expect(client.chat.v2.services(mine.sid).update({ friendlyName: 'stolen' })).rejects.toMatchObject({ status: 404 });
    await expect(client.chat.v2.services(mine.sid).remove()).rejects.toMatchObject({ status: 404 });
  });

  it('keeps serving after bad input', async () => {
    const res = await fetch(`${stack.get('api-gateway').url}/health/ready`);
    expect(res.status).toBe(200);
    await expect(client.chat.v2.services.create({ friendlyName: 'still-alive' })).resolves.toMatchObject({ friendlyName: 'still-alive' });
  });

  async function countServices(): Promise<number> {
    const { Client } = await import('pg');
    const db = new Client({ connectionString: stack.database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM services');
      return Number(rows[0]?.n);
    } finally {
      await db.end();
    }
  }
});

function basic(stack: Stack): string {
  return `Basic ${Buffer.from(`${stack.accountSid}:${stack.authToken}`).toString('base64')}`;
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
