import { randomBytes } from 'node:crypto';
import type twilio from 'twilio';
import pino from 'pino';
import type { Caller } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { NATS_URL, startStack, twilioClient, type Stack } from '@parley/testing';

/**
 * Push Credentials, Bindings and UserBindings end to end through the unmodified `twilio` helper. Bindings have no
 * REST create: they come from SDK push registration, sent here over NATS as the realtime gateway sends it.
 */

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const CREDENTIAL_FIELDS = ['account_sid', 'date_created', 'date_updated', 'friendly_name', 'sandbox', 'sid', 'type', 'url'];
const BINDING_FIELDS = [
  'account_sid',
  'binding_type',
  'credential_sid',
  'date_created',
  'date_updated',
  'endpoint',
  'identity',
  'links',
  'message_types',
  'service_sid',
  'sid',
  'url',
];
const USER_BINDING_FIELDS = [...BINDING_FIELDS.filter((f) => f !== 'links'), 'user_sid'].sort();

describe('Credentials, Bindings and UserBindings through the official twilio helper', () => {
  let stack: Stack;
  let client: twilio.Twilio;
  let base: string;
  let nats: NatsTransport;

  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: basic(stack) } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  /** What the realtime gateway sends when an SDK client registers for push. */
  const register = (serviceSid: string, identity: string, bindingType: 'apn' | 'fcm' | 'gcm', endpoint: string, credentialSid?: string) => {
    const caller: Caller = { accountSid: stack.accountSid, serviceSid, actor: { kind: 'user', identity }, requestId: randomBytes(4).toString('hex') };
    return nats.request('chat.v1.cmd.binding.register', {
      caller,
      params: { ServiceSid: serviceSid, BindingType: bindingType, Endpoint: endpoint, ...(credentialSid ? { CredentialSid: credentialSid } : {}) },
    });
  };

  beforeAll(async () => {
    stack = await startStack({ label: 'bindcred', apps: ['message-service', 'api-gateway'] });
    base = stack.get('api-gateway').url;
    client = twilioClient(base, stack.accountSid, stack.authToken);
    nats = new NatsTransport({ servers: NATS_URL, subjectPrefix: stack.natsSubjectPrefix, name: 'bindings-e2e', logger: pino({ level: 'silent' }) });
    await nats.connect();
  });

  afterAll(async () => {
    await nats?.drain();
    await stack?.stop();
  });

  describe('Credentials', () => {
    it('creates each push type, fetches, updates, lists across pages and deletes, never returning secrets', async () => {
      const apn = await client.chat.v2.credentials.create({
        type: 'apn',
        friendlyName: 'ios',
        certificate: '-----BEGIN CERTIFICATE-----\nMIIFnTCC\n-----END CERTIFICATE-----',
        privateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIEpQIB\n-----END RSA PRIVATE KEY-----',
        sandbox: true,
      });
      expect(apn.sid).toMatch(/^CR[0-9a-f]{32}$/);
      expect(apn).toMatchObject({ accountSid: stack.accountSid, friendlyName: 'ios', type: 'apn', sandbox: 'True' });
      expect(apn.dateCreated).toBeInstanceOf(Date);
      expect(apn.url).toBe(`${base}/v2/Credentials/${apn.sid}`);
      const gcm = await client.chat.v2.credentials.create({ type: 'gcm', apiKey: 'AIza-secret' });
      const fcm = await client.chat.v2.credentials.create({ type: 'fcm', secret: 'fcm-server-key', friendlyName: 'android' });
      expect(gcm).toMatchObject({ type: 'gcm', sandbox: 'False', friendlyName: null });
      expect(fcm).toMatchObject({ type: 'fcm', friendlyName: 'android' });

      const raw = await get(`/v2/Credentials/${apn.sid}`);
      expect(raw.status).toBe(200);
      expect(Object.keys(raw.body).sort()).toEqual(CREDENTIAL_FIELDS);
      expect(raw.body.date_created).toMatch(DATE);
      expect(JSON.stringify(raw.body)).not.toMatch(/MIIF|MIIE|secret/);

      const updated = await client.chat.v2.credentials(apn.sid).update({ friendlyName: 'ios prod', sandbox: false });
      expect(updated).toMatchObject({ sid: apn.sid, friendlyName: 'ios prod', sandbox: 'False', type: 'apn' });
      expect((await client.chat.v2.credentials(apn.sid).fetch()).friendlyName).toBe('ios prod');

      const listed = await client.chat.v2.credentials.list({ pageSize: 2 });
      expect(listed.map((c) => c.sid)).toEqual([apn.sid, gcm.sid, fcm.sid]);
      const page = await client.chat.v2.credentials.page({ pageSize: 2 });
      expect(page.nextPageUrl).toMatch(new RegExp(`^${base}/v2/Credentials\\?`));
      const rawList = await get('/v2/Credentials?PageSize=1000');
      expect(rawList.body.meta).toMatchObject({ key: 'credentials', page_size: 1000, next_page_url: null });

      await expect(client.chat.v2.credentials(gcm.sid).remove()).resolves.toBe(true);
      await expect(client.chat.v2.credentials(gcm.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    });

    it('answers bad input with Twilio errors', async () => {
      await expect(client.chat.v2.credentials.create({ type: 'sms' as 'apn' })).rejects.toMatchObject({ status: 400, code: 20001 });
      await expect(client.chat.v2.credentials.create({ type: 'apn', friendlyName: 'x'.repeat(65) })).rejects.toMatchObject({ status: 400, code: 20001 });
      await expect(client.chat.v2.credentials(`CR${'0'.repeat(32)}`).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      await expect(client.chat.v2.credentials(`CR${'0'.repeat(32)}`).update({ friendlyName: 'x' })).rejects.toMatchObject({ status: 404 });
      await expect(client.chat.v2.credentials(`CR${'0'.repeat(32)}`).remove()).rejects.toMatchObject({ status: 404 });
      const missingType = await fetch(`${base}/v2/Credentials`, {
        method: 'POST',
        headers: { authorization: basic(stack), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'FriendlyName=x',
      });
      expect(missingType.status).toBe(400);
      expect(await missingType.json()).toMatchObject({ code: 20001, status: 400 });
      expect((await get('/v2/Credentials/not-a-sid')).status).toBe(404);
    });
  });

  describe('Bindings and UserBindings', () => {
    it('lists with BindingType and Identity filters across pages, fetches and deletes', async () => {
      const service = await client.chat.v2.services.create({ friendlyName: 'push' });
      const credential = await client.chat.v2.credentials.create({ type: 'fcm', secret: 'k' });
      const users = client.chat.v2.services(service.sid).users;
      const alice = await users.create({ identity: 'alice@example.com' });
      await users.create({ identity: 'bob' });
      const a1 = await register(service.sid, 'alice@example.com', 'fcm', 'alice-phone', credential.sid);
      await register(service.sid, 'alice@example.com', 'apn', 'alice-tablet');
      await register(service.sid, 'bob', 'fcm', 'bob-phone');
      await register(service.sid, 'bob', 'gcm', 'bob-old-phone');

      const bindings = client.chat.v2.services(service.sid).bindings;
      const all = await bindings.list({ pageSize: 2 });
      expect(all.map((b) => b.endpoint)).toEqual(['alice-phone', 'alice-tablet', 'bob-phone', 'bob-old-phone']);
      expect((await bindings.list({ bindingType: ['fcm'] })).map((b) => b.endpoint)).toEqual(['alice-phone', 'bob-phone']);
      expect((await bindings.list({ bindingType: ['fcm', 'gcm'], identity: ['bob'] })).map((b) => b.endpoint)).toEqual(['bob-phone', 'bob-old-phone']);
      expect((await bindings.list({ identity: ['alice@example.com', 'bob'], pageSize: 3 })).length).toBe(4);
      const page = await bindings.page({ pageSize: 2, bindingType: ['fcm', 'apn'] });
      expect(page.nextPageUrl).toMatch(new RegExp(`^${base}/v2/Services/${service.sid}/Bindings\\?BindingType=fcm&BindingType=apn&`));

      const fetched = await bindings(a1.sid).fetch();
      expect(fetched).toMatchObject({
        sid: a1.sid,
        accountSid: stack.accountSid,
        serviceSid: service.sid,
        endpoint: 'alice-phone',
        identity: 'alice@example.com',
        credentialSid: credential.sid,
        bindingType: 'fcm',
        messageTypes: ['new_message', 'added_to_channel', 'removed_from_channel', 'invited_to_channel'],
        url: `${base}/v2/Services/${service.sid}/Bindings/${a1.sid}`,
        links: { user: `${base}/v2/Services/${service.sid}/Users/alice%40example.com` },
      });
      expect(fetched.dateCreated).toBeInstanceOf(Date);
      const raw = await get(`/v2/Services/${service.sid}/Bindings/${a1.sid}`);
      expect(Object.keys(raw.body).sort()).toEqual(BINDING_FIELDS);
      // links.user leads to the user.
      const linked = await fetch(fetched.links.user, { headers: { authorization: basic(stack) } });
      expect(((await linked.json()) as { sid: string }).sid).toBe(alice.sid);

      // The same rows seen under their user, addressed by sid or identity.
      const ofAlice = client.chat.v2.services(service.sid).users('alice@example.com').userBindings;
      expect((await ofAlice.list()).map((b) => b.endpoint)).toEqual(['alice-phone', 'alice-tablet']);
      expect((await ofAlice.list({ bindingType: ['apn'] })).map((b) => b.endpoint)).toEqual(['alice-tablet']);
      const userBinding = await client.chat.v2.services(service.sid).users(alice.sid).userBindings(a1.sid).fetch();
      expect(userBinding).toMatchObject({ sid: a1.sid, userSid: alice.sid, identity: 'alice@example.com', url: `${base}/v2/Services/${service.sid}/Users/${alice.sid}/Bindings/${a1.sid}` });
      const rawUserBinding = await get(`/v2/Services/${service.sid}/Users/${alice.sid}/Bindings/${a1.sid}`);
      expect(Object.keys(rawUserBinding.body).sort()).toEqual(USER_BINDING_FIELDS);
      await expect(client.chat.v2.services(service.sid).users('bob').userBindings(a1.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      await expect(client.chat.v2.services(service.sid).users('nobody').userBindings.list()).rejects.toMatchObject({ status: 404, code: 20404 });

      await expect(client.chat.v2.services(service.sid).users('alice@example.com').userBindings(a1.sid).remove()).resolves.toBe(true);
      await expect(bindings(a1.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      const bobPhone = all.find((b) => b.endpoint === 'bob-phone')!;
      await expect(bindings(bobPhone.sid).remove()).resolves.toBe(true);
      expect((await bindings.list()).map((b) => b.endpoint)).toEqual(['alice-tablet', 'bob-old-phone']);

      // Deleting a user takes its bindings with it.
      await client.chat.v2.services(service.sid).users('bob').remove();
      expect((await bindings.list()).map((b) => b.endpoint)).toEqual(['alice-tablet']);
      await expect(bindings(`BS${'0'.repeat(32)}`).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      await expect(bindings.list({ bindingType: ['sms' as 'apn'] })).rejects.toMatchObject({ status: 400, code: 20001 });
    });
  });
});

function basic(stack: Stack): string {
  return `Basic ${Buffer.from(`${stack.accountSid}:${stack.authToken}`).toString('base64')}`;
}
