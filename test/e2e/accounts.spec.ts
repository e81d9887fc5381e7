import type twilio from 'twilio';
import { startStack, twilioClient, type Stack } from '@parley/testing';

const RFC_2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

/**
 * Accounts and subaccounts of the 2010-04-01 API through the unmodified `twilio` helper (api.twilio.com
 * redirected to the gateway), against the real services as processes.
 */
describe('Accounts and subaccounts through the official twilio helper', () => {
  let stack: Stack;
  let base: string;
  let client: twilio.Twilio;

  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  const get = (path: string, user = stack.accountSid, pass = stack.authToken) => fetch(`${base}${path}`, { headers: { authorization: basic(user, pass) } });

  beforeAll(async () => {
    stack = await startStack({ label: 'accounts', apps: ['message-service', 'api-gateway'] });
    base = stack.get('api-gateway').url;
    client = twilioClient(base, stack.accountSid, stack.authToken);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('creates a subaccount (201) with its own auth token, Twilio fields and RFC 2822 dates', async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'customer a' });
    expect(sub.sid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(sub.friendlyName).toBe('customer a');
    expect(sub.ownerAccountSid).toBe(stack.accountSid);
    expect(sub.status).toBe('active');
    expect(sub.type).toBe('Full');
    expect(sub.authToken).toMatch(/^[0-9a-f]{32}$/);
    expect(sub.authToken).not.toBe(stack.authToken);
    expect(sub.dateCreated).toBeInstanceOf(Date);
    expect(Math.abs(sub.dateCreated.getTime() - Date.now())).toBeLessThan(60_000);
    expect(sub.uri).toBe(`/2010-04-01/Accounts/${sub.sid}.json`);
    expect(sub.subresourceUris).toEqual({ keys: `/2010-04-01/Accounts/${sub.sid}/Keys.json` });

    const raw = (await (await get(`/2010-04-01/Accounts/${sub.sid}.json`)).json()) as Record<string, unknown>;
    expect(raw.date_created).toMatch(RFC_2822);
    expect(raw.date_updated).toMatch(RFC_2822);
    expect(Object.keys(raw).sort()).toEqual(
      ['auth_token', 'date_created', 'date_updated', 'friendly_name', 'owner_account_sid', 'sid', 'status', 'subresource_uris', 'type', 'uri'].sort(),
    );
    const created = await fetch(`${base}/2010-04-01/Accounts.json`, {
      method: 'POST',
      headers: { authorization: basic(stack.accountSid, stack.authToken), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'FriendlyName=raw',
    });
    expect(created.status).toBe(201);
  });

  it('fetches the main account itself, owner of itself', async () => {
    const me = await client.api.v2010.accounts(stack.accountSid).fetch();
    expect(me.sid).toBe(stack.accountSid);
    expect(me.ownerAccountSid).toBe(stack.accountSid);
    expect(me.authToken).toBe(stack.authToken);
    await expect(client.api.v2010.account.fetch()).resolves.toMatchObject({ sid: stack.accountSid });
  });

  it('lists the account and its subaccounts page by page, following next_page_uri, with filters', async () => {
    const created = [];
    for (const name of ['list-1', 'list-2', 'list-3', 'list-4']) created.push(await client.api.v2010.accounts.create({ friendlyName: name }));
    const all = await client.api.v2010.accounts.list({ pageSize: 2 });
    const sids = all.map((a) => a.sid);
    expect(new Set(sids).size).toBe(sids.length);
    expect(sids).toContain(stack.accountSid);
    for (const a of created) expect(sids).toContain(a.sid);

    const first = await client.api.v2010.accounts.page({ pageSize: 2 });
    expect(first.instances).toHaveLength(2);
    // Relative next_page_uri, resolved by the helper against api.twilio.com (which the test client redirects).
    expect(first.nextPageUrl).toMatch(/^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\.json\?PageSize=2&Page=1&PageToken=PT/);
    const second = await first.nextPage();
    expect(second?.instances).toHaveLength(2);
    expect(second?.instances.map((a) => a.sid)).toEqual(sids.slice(2, 4));

    const res = await get('/2010-04-01/Accounts.json?PageSize=2');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      start: 0,
      end: 1,
      page: 0,
      page_size: 2,
      uri: '/2010-04-01/Accounts.json?PageSize=2&Page=0',
      first_page_uri: '/2010-04-01/Accounts.json?PageSize=2&Page=0',
      previous_page_uri: null,
      next_page_uri: expect.stringMatching(/^\/2010-04-01\/Accounts\.json\?PageSize=2&Page=1&PageToken=/),
    });
    expect(body).not.toHaveProperty('meta');

    await expect(client.api.v2010.accounts.list({ friendlyName: 'list-3' })).resolves.toEqual([
      expect.objectContaining({ sid: created[2]!.sid }),
    ]);
    await client.api.v2010.accounts(created[3]!.sid).update({ status: 'suspended' });
    const suspended = await client.api.v2010.accounts.list({ status: 'suspended' });
    expect(suspended.map((a) => a.sid)).toEqual([created[3]!.sid]);
  });

  it('updates FriendlyName and Status: a suspended subaccount cannot authenticate until reactivated; a closed one never again', async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'lifecycle' });
    const subClient = twilioClient(base, sub.sid, sub.authToken);
    await expect(subClient.chat.v2.services.list()).resolves.toEqual([]);

    const renamed = await client.api.v2010.accounts(sub.sid).update({ friendlyName: 'renamed' });
    expect(renamed.friendlyName).toBe('renamed');
    expect(renamed.status).toBe('active');

    await expect(client.api.v2010.accounts(sub.sid).update({ status: 'suspended' })).resolves.toMatchObject({ status: 'suspended' });
    // Immediately, although the gateway had cached the subaccount's principal a moment ago.
    await expect(subClient.chat.v2.services.list()).rejects.toMatchObject({ status: 401, code: 20003 });
    await client.api.v2010.accounts(sub.sid).update({ status: 'active' });
    await expect(subClient.chat.v2.services.list()).resolves.toEqual([]);

    await client.api.v2010.accounts(sub.sid).update({ status: 'closed' });
    await expect(subClient.chat.v2.services.list()).rejects.toMatchObject({ status: 401 });
    await expect(client.api.v2010.accounts(sub.sid).update({ status: 'active' })).rejects.toMatchObject({ status: 400, code: 21100 });
    await expect(client.api.v2010.accounts(sub.sid).fetch()).resolves.toMatchObject({ status: 'closed' });
  });

  it('refuses what the Accounts resource does not allow with 21100', async () => {
    await expect(client.api.v2010.accounts(stack.accountSid).update({ status: 'suspended' })).rejects.toMatchObject({ status: 400, code: 21100 });
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'no grandchildren' });
    const subClient = twilioClient(base, sub.sid, sub.authToken);
    await expect(subClient.api.v2010.accounts.create({ friendlyName: 'nested' })).rejects.toMatchObject({ status: 403, code: 21100 });
    await expect(subClient.api.v2010.accounts(sub.sid).update({ status: 'closed' })).rejects.toMatchObject({ status: 403, code: 21100 });
  });

  it('isolates a subaccount: it sees only itself and its own data; the parent reaches it only through 2010 paths', async () => {
    const parentService = await client.chat.v2.services.create({ friendlyName: 'parent only' });
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'isolated' });
    const subClient = twilioClient(base, sub.sid, sub.authToken);

    // Chat v2: the account is the one of the credentials.
    const subService = await subClient.chat.v2.services.create({ friendlyName: 'sub only' });
    expect(subService.accountSid).toBe(sub.sid);
    expect((await subClient.chat.v2.services.list()).map((s) => s.sid)).toEqual([subService.sid]);
    await expect(subClient.chat.v2.services(parentService.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.chat.v2.services(subService.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });

    // 2010: a subaccount sees itself only; its parent sees it (and may use its sid in 2010 paths).
    expect((await subClient.api.v2010.accounts.list()).map((a) => a.sid)).toEqual([sub.sid]);
    await expect(subClient.api.v2010.accounts(stack.accountSid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    const parentAsSub = twilioClient(base, stack.accountSid, stack.authToken, sub.sid);
    const key = await parentAsSub.newKeys.create({ friendlyName: 'made by the parent' });
    expect((await subClient.api.v2010.accounts(sub.sid).keys.list()).map((k) => k.sid)).toEqual([key.sid]);
    await expect(parentAsSub.api.v2010.account.fetch()).resolves.toMatchObject({ sid: sub.sid, authToken: sub.authToken });
    // The subaccount cannot reach its parent's keys.
    await expect(subClient.api.v2010.accounts(stack.accountSid).keys.list()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('answers unknown and malformed account sids with 404, bad input with 400, and API keys with 401 20003', async () => {
    await expect(client.api.v2010.accounts(`AC${'0'.repeat(32)}`).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    const malformed = await get('/2010-04-01/Accounts/nope.json');
    expect(malformed.status).toBe(404);
    await expect(client.api.v2010.accounts.create({ friendlyName: 'x'.repeat(65) })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(client.api.v2010.accounts(stack.accountSid).update({ status: 'gone' as never })).rejects.toMatchObject({ status: 400, code: 20001 });

    const key = await client.newKeys.create({ friendlyName: 'standard' });
    const keyClient = twilioClient(base, key.sid, key.secret, stack.accountSid);
    await expect(keyClient.chat.v2.services.list()).resolves.toBeDefined();
    await expect(keyClient.api.v2010.accounts.list()).rejects.toMatchObject({ status: 401, code: 20003 });
    await expect(keyClient.api.v2010.accounts.create({ friendlyName: 'by key' })).rejects.toMatchObject({ status: 401, code: 20003 });
  });
});
