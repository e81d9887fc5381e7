import type twilio from 'twilio';
import { startStack, twilioClient, waitFor, type ServiceProcess, type Stack } from '@parley/testing';

/**
 * API Keys of the 2010-04-01 API through the unmodified `twilio` helper, and Basic auth with them, against the
 * real services as processes (two api-gateway replicas: a deleted key must stop working on both, well within
 * the gateways' 30 s principal cache).
 */
describe('API Keys through the official twilio helper', () => {
  let stack: Stack;
  let base: string;
  let otherGateway: ServiceProcess;
  let client: twilio.Twilio;

  beforeAll(async () => {
    stack = await startStack({ label: 'apikeys', apps: ['message-service', 'api-gateway'] });
    base = stack.get('api-gateway').url;
    otherGateway = await stack.add('api-gateway');
    client = twilioClient(base, stack.accountSid, stack.authToken);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('creates a key (201) whose secret is returned once, then fetches, renames and lists it', async () => {
    const created = await client.newKeys.create({ friendlyName: "Mario's API key" });
    expect(created.sid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(created.friendlyName).toBe("Mario's API key");
    expect(created.secret).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(created.dateCreated).toBeInstanceOf(Date);
    expect(Math.abs(created.dateCreated.getTime() - Date.now())).toBeLessThan(60_000);

    const fetched = await client.keys(created.sid).fetch();
    expect(fetched.sid).toBe(created.sid);
    expect(fetched.friendlyName).toBe("Mario's API key");
    expect(fetched.dateUpdated).toBeInstanceOf(Date);
    expect(fetched).not.toHaveProperty('secret');
    const raw = await fetch(`${base}/2010-04-01/Accounts/${stack.accountSid}/Keys/${created.sid}.json`, { headers: { authorization: basic() } });
    expect(Object.keys((await raw.json()) as object).sort()).toEqual(['date_created', 'date_updated', 'friendly_name', 'sid']);

    const renamed = await client.keys(created.sid).update({ friendlyName: 'renamed' });
    expect(renamed.friendlyName).toBe('renamed');
    expect((await client.keys.list()).map((k) => k.sid)).toContain(created.sid);
    // The same resource through the account path.
    await expect(client.api.v2010.accounts(stack.accountSid).keys(created.sid).fetch()).resolves.toMatchObject({ friendlyName: 'renamed' });
  });

  it('lists keys across pages following next_page_uri', async () => {
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'key paging' });
    const keys = client.api.v2010.accounts(sub.sid).keys;
    const created = [];
    for (let i = 0; i < 5; i++) created.push((await client.api.v2010.accounts(sub.sid).newKeys.create({ friendlyName: `k${i}` })).sid);
    const listed = await keys.list({ pageSize: 2 });
    expect(listed.map((k) => k.sid)).toEqual(created);
    const page = await keys.page({ pageSize: 2 });
    expect(page.nextPageUrl).toBe(
      `https://api.twilio.com/2010-04-01/Accounts/${sub.sid}/Keys.json?PageSize=2&Page=1&PageToken=${new URL(page.nextPageUrl!).searchParams.get('PageToken')}`,
    );
    const raw = (await (await fetch(`${base}/2010-04-01/Accounts/${sub.sid}/Keys.json?PageSize=2`, { headers: { authorization: basic() } })).json()) as Record<string, unknown>;
    expect(raw).toMatchObject({ start: 0, end: 1, page: 0, page_size: 2, previous_page_uri: null, uri: `/2010-04-01/Accounts/${sub.sid}/Keys.json?PageSize=2&Page=0` });
    expect(raw.keys).toHaveLength(2);
  });

  it('authenticates chat calls with KeySid:KeySecret, and stops at once when the key is deleted, on every gateway', async () => {
    const key = await client.newKeys.create({ friendlyName: 'backend' });
    const viaFirst = twilioClient(base, key.sid, key.secret, stack.accountSid);
    const viaSecond = twilioClient(otherGateway.url, key.sid, key.secret, stack.accountSid);

    const service = await viaFirst.chat.v2.services.create({ friendlyName: 'made with a key' });
    expect(service.accountSid).toBe(stack.accountSid);
    // Both gateways now hold the key's principal in their caches.
    await expect(viaSecond.chat.v2.services(service.sid).fetch()).resolves.toMatchObject({ sid: service.sid });
    await expect(viaFirst.chat.v2.services(service.sid).fetch()).resolves.toMatchObject({ sid: service.sid });

    await expect(client.keys(key.sid).remove()).resolves.toBe(true);
    // The gateway that served the delete forgets at once; the other one when the event reaches it (never the TTL).
    await expect(viaFirst.chat.v2.services.list()).rejects.toMatchObject({ status: 401, code: 20003 });
    const started = Date.now();
    await waitFor(
      async () => {
        try {
          await viaSecond.chat.v2.services.list();
          return false;
        } catch (err) {
          return (err as { status?: number }).status === 401;
        }
      },
      { timeoutMs: 10_000, description: 'the second gateway refusing the deleted key' },
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(client.keys(key.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.keys(key.sid).remove()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('refuses key management with a key (Standard keys reach neither Accounts nor Keys) and other bad requests', async () => {
    const key = await client.newKeys.create({ friendlyName: 'standard' });
    const keyClient = twilioClient(base, key.sid, key.secret, stack.accountSid);
    await expect(keyClient.newKeys.create({ friendlyName: 'by a key' })).rejects.toMatchObject({ status: 401, code: 20003 });
    await expect(keyClient.keys.list()).rejects.toMatchObject({ status: 401, code: 20003 });
    await expect(keyClient.keys(key.sid).remove()).rejects.toMatchObject({ status: 401, code: 20003 });

    await expect(client.newKeys.create({ friendlyName: 'x'.repeat(65) })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(client.keys(`SK${'0'.repeat(32)}`).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    const badSid = await fetch(`${base}/2010-04-01/Accounts/${stack.accountSid}/Keys/not-a-key.json`, { headers: { authorization: basic() } });
    expect(badSid.status).toBe(404);
    await expect(client.api.v2010.accounts(`AC${'0'.repeat(32)}`).keys.list()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  function basic(): string {
    return `Basic ${Buffer.from(`${stack.accountSid}:${stack.authToken}`).toString('base64')}`;
  }
});
