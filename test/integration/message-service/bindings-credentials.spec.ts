import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { newSid, type BindingResource, type Caller, type CommandRequest, type CredentialResource, type ServiceResource } from '@parley/contracts';
import type { MessageConfig } from '../../../apps/message-service/src/config/message.config';
import { SecretBox } from '../../../apps/message-service/src/crypto/secret-box';
import { hashAuthToken } from '../../../apps/message-service/src/crypto/token-hash';
import { startMessageService, type MessageService, failureOf } from './harness';

/*
 * Push Bindings (SDK registration commands and the REST reads/deletes) and Credentials of message-service over
 * real NATS and Postgres.
 */

describe('message-service: Bindings and Credentials over NATS', () => {
  let ms: MessageService;
  let config: MessageConfig;
  let pg: Client;

  const system = (accountSid?: string) => ms.system(accountSid);
  const asUser = (serviceSid: string, identity: string) => ms.sdkUser(serviceSid, identity);
  const send: MessageService['send'] = (subject, payload) => ms.send(subject, payload);

  const createService = (accountSid?: string) =>
    send('chat.v1.cmd.service.create', { caller: system(accountSid), params: { FriendlyName: 'push' } });
  const createUser = (serviceSid: string, identity: string) =>
    send('chat.v1.cmd.user.create', { caller: system(), params: { ServiceSid: serviceSid, Identity: identity } });
  const register = (caller: Caller, params: CommandRequest<'chat.v1.cmd.binding.register'>['params']) =>
    send('chat.v1.cmd.binding.register', { caller, params });
  const createCredential = (params: CommandRequest<'chat.v1.cmd.credential.create'>['params'], accountSid?: string) =>
    send('chat.v1.cmd.credential.create', { caller: system(accountSid), params });

  async function insertAccount(): Promise<string> {
    const sid = `AC${randomBytes(16).toString('hex')}`;
    await pg.query(
      `INSERT INTO accounts (sid, friendly_name, status, type, auth_token_hash, date_created, date_updated)
       VALUES ($1, 'other', 'active', 'Full', $2, now(), now())`,
      [sid, hashAuthToken(config.PARLEY_SECRET_KEY, randomBytes(16).toString('hex'))],
    );
    return sid;
  }

  beforeAll(async () => {
    ms = await startMessageService('bindcred', { poolSize: 10 });
    ({ config, pg } = ms);
  });

  afterAll(() => ms?.stop());

  describe('push registration (binding.register / binding.unregister)', () => {
    let service: ServiceResource;
    let credential: CredentialResource;

    beforeAll(async () => {
      service = await createService();
      credential = await createCredential({ Type: 'fcm', Secret: 'server-key' });
      await createUser(service.sid, 'alice');
      await createUser(service.sid, 'bob');
    });

    it("registers the SDK user's device with all message types by default", async () => {
      const binding = await register(asUser(service.sid, 'alice'), {
        ServiceSid: service.sid,
        BindingType: 'fcm',
        Endpoint: 'token-a1',
        CredentialSid: credential.sid,
      });
      expect(binding).toEqual({
        sid: expect.stringMatching(/^BS[0-9a-f]{32}$/),
        account_sid: config.PARLEY_ACCOUNT_SID,
        service_sid: service.sid,
        date_created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        date_updated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        endpoint: 'token-a1',
        identity: 'alice',
        user_sid: expect.stringMatching(/^US/),
        credential_sid: credential.sid,
        binding_type: 'fcm',
        message_types: ['new_message', 'added_to_channel', 'removed_from_channel', 'invited_to_channel'],
      });
    });

    it('upserts per (endpoint, type): registering again updates the same binding, another identity takes it over', async () => {
      const first = await register(system(), { ServiceSid: service.sid, Identity: 'alice', BindingType: 'apn', Address: 'device-x' });
      const again = await register(system(), {
        ServiceSid: service.sid,
        Identity: 'alice',
        BindingType: 'apn',
        Endpoint: 'device-x',
        MessageTypes: ['new_message'],
      });
      expect(again).toMatchObject({ sid: first.sid, date_created: first.date_created, message_types: ['new_message'], identity: 'alice' });
      const takenOver = await register(asUser(service.sid, 'bob'), { ServiceSid: service.sid, BindingType: 'apn', Endpoint: 'device-x' });
      expect(takenOver).toMatchObject({ sid: first.sid, identity: 'bob' });
      expect(takenOver.user_sid).not.toBe(first.user_sid);
      // Same endpoint, another type: another binding.
      const gcm = await register(system(), { ServiceSid: service.sid, Identity: 'bob', BindingType: 'gcm', Endpoint: 'device-x' });
      expect(gcm.sid).not.toBe(first.sid);
      const { rows } = await pg.query("SELECT count(*)::int AS n FROM bindings WHERE service_sid = $1 AND endpoint = 'device-x'", [service.sid]);
      expect(rows[0].n).toBe(2);
    });

    it('registers concurrently without duplicates', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, () => register(system(), { ServiceSid: service.sid, Identity: 'alice', BindingType: 'fcm', Endpoint: 'same-device' })),
      );
      expect(new Set(results.map((b) => b.sid)).size).toBe(1);
    });

    it('refuses what it cannot register', async () => {
      const cases: [Promise<unknown>, number, number][] = [
        [register(asUser(service.sid, 'alice'), { ServiceSid: service.sid, Identity: 'bob', BindingType: 'fcm', Endpoint: 'e' }), 403, 50107],
        [register(asUser(newSid('IS'), 'alice'), { ServiceSid: service.sid, BindingType: 'fcm', Endpoint: 'e' }), 403, 50107],
        [register(system(), { ServiceSid: service.sid, BindingType: 'fcm', Endpoint: 'e' }), 400, 20001],
        [register(system(), { ServiceSid: service.sid, Identity: 'nobody', BindingType: 'fcm', Endpoint: 'e' }), 404, 20404],
        [register(system(), { ServiceSid: service.sid, Identity: 'alice', BindingType: 'fcm', Endpoint: 'e', CredentialSid: newSid('CR') }), 400, 20001],
        [register(system(), { ServiceSid: service.sid, Identity: 'alice', BindingType: 'sms' as never, Endpoint: 'e' }), 400, 20001],
        [register(system(), { ServiceSid: service.sid, Identity: 'alice', BindingType: 'fcm' }), 400, 20001],
        [register(system(), { ServiceSid: service.sid, Identity: 'alice', BindingType: 'fcm', Endpoint: 'e', MessageTypes: ['spam'] as never }), 400, 20001],
      ];
      for (const [attempt, status, code] of cases) expect(await failureOf(attempt)).toMatchObject({ status, code });
      const { rows } = await pg.query("SELECT count(*)::int AS n FROM bindings WHERE endpoint = 'e'");
      expect(rows[0].n).toBe(0);
    });

    it('unregisters one endpoint or every binding of a type, idempotently', async () => {
      await createUser(service.sid, 'carol');
      for (const endpoint of ['c1', 'c2', 'c3']) {
        await register(system(), { ServiceSid: service.sid, Identity: 'carol', BindingType: endpoint === 'c3' ? 'apn' : 'fcm', Endpoint: endpoint });
      }
      const carol = asUser(service.sid, 'carol');
      await expect(send('chat.v1.cmd.binding.unregister', { caller: carol, params: { ServiceSid: service.sid, BindingType: 'fcm', Endpoint: 'c1' } })).resolves.toEqual({
        removed: 1,
      });
      await expect(send('chat.v1.cmd.binding.unregister', { caller: carol, params: { ServiceSid: service.sid, BindingType: 'fcm', Endpoint: 'c1' } })).resolves.toEqual({
        removed: 0,
      });
      await expect(send('chat.v1.cmd.binding.unregister', { caller: carol, params: { ServiceSid: service.sid, BindingType: 'fcm' } })).resolves.toEqual({ removed: 1 });
      const { rows } = await pg.query("SELECT endpoint FROM bindings WHERE identity = 'carol'");
      expect(rows).toEqual([{ endpoint: 'c3' }]);
      await expect(
        send('chat.v1.cmd.binding.unregister', { caller: system(), params: { ServiceSid: service.sid, Identity: 'nobody', BindingType: 'apn' } }),
      ).resolves.toEqual({ removed: 0 });
    });
  });

  describe('Bindings and UserBindings (REST)', () => {
    it('lists with BindingType and Identity filters across pages, fetches and deletes, under the service and under the user', async () => {
      const service = await createService();
      const bindings: BindingResource[] = [];
      for (const identity of ['dan', 'eve']) {
        await createUser(service.sid, identity);
        for (const [type, n] of [['fcm', 3], ['apn', 2]] as const) {
          for (let i = 0; i < n; i++) {
            bindings.push(await register(system(), { ServiceSid: service.sid, Identity: identity, BindingType: type, Endpoint: `${identity}-${type}-${i}` }));
          }
        }
      }
      const listAll = async (params: Omit<CommandRequest<'chat.v1.cmd.binding.list'>['params'], 'ServiceSid'>) => {
        const items: BindingResource[] = [];
        let token: string | null = null;
        do {
          const page: { items: BindingResource[]; nextPageToken: string | null } = await send('chat.v1.cmd.binding.list', {
            caller: system(),
            params: { ServiceSid: service.sid, PageSize: 2, ...params, ...(token ? { PageToken: token } : {}) },
          });
          items.push(...page.items);
          token = page.nextPageToken;
        } while (token);
        return items;
      };
      expect((await listAll({})).map((b) => b.sid)).toEqual(bindings.map((b) => b.sid));
      expect((await listAll({ BindingType: 'apn' })).map((b) => b.endpoint)).toEqual(['dan-apn-0', 'dan-apn-1', 'eve-apn-0', 'eve-apn-1']);
      expect((await listAll({ Identity: 'eve', BindingType: ['apn', 'fcm'] })).every((b) => b.identity === 'eve')).toBe(true);
      expect(await listAll({ Identity: ['dan', 'eve'], BindingType: 'gcm' })).toEqual([]);
      expect(await failureOf(send('chat.v1.cmd.binding.list', { caller: system(), params: { ServiceSid: service.sid, PageSize: 51 } }))).toMatchObject({
        code: 20001,
      });

      const dan = bindings[0]!;
      await expect(send('chat.v1.cmd.binding.fetch', { caller: system(), params: { ServiceSid: service.sid, Sid: dan.sid } })).resolves.toEqual(dan);
      const ofDan = await send('chat.v1.cmd.user-binding.list', { caller: system(), params: { ServiceSid: service.sid, UserSid: 'dan', BindingType: 'fcm' } });
      expect(ofDan.items.map((b) => b.endpoint)).toEqual(['dan-fcm-0', 'dan-fcm-1', 'dan-fcm-2']);
      for (const key of ['dan', dan.user_sid]) {
        await expect(send('chat.v1.cmd.user-binding.fetch', { caller: system(), params: { ServiceSid: service.sid, UserSid: key, Sid: dan.sid } })).resolves.toEqual(dan);
      }
      // A binding of another user is not found under this one.
      expect(await failureOf(send('chat.v1.cmd.user-binding.fetch', { caller: system(), params: { ServiceSid: service.sid, UserSid: 'eve', Sid: dan.sid } }))).toEqual({
        code: 20404,
        status: 404,
        message: `The requested resource /Services/${service.sid}/Users/eve/Bindings/${dan.sid} was not found`,
      });
      expect(await failureOf(send('chat.v1.cmd.user-binding.delete', { caller: system(), params: { ServiceSid: service.sid, UserSid: 'eve', Sid: dan.sid } }))).toMatchObject({
        code: 20404,
      });
      expect(await failureOf(send('chat.v1.cmd.user-binding.list', { caller: system(), params: { ServiceSid: service.sid, UserSid: 'nobody' } }))).toMatchObject({
        code: 20404,
      });

      await expect(send('chat.v1.cmd.user-binding.delete', { caller: system(), params: { ServiceSid: service.sid, UserSid: 'dan', Sid: dan.sid } })).resolves.toEqual({});
      const second = bindings[1]!;
      await expect(send('chat.v1.cmd.binding.delete', { caller: system(), params: { ServiceSid: service.sid, Sid: second.sid } })).resolves.toEqual({});
      for (const sid of [dan.sid, second.sid]) {
        expect(await failureOf(send('chat.v1.cmd.binding.fetch', { caller: system(), params: { ServiceSid: service.sid, Sid: sid } }))).toEqual({
          code: 20404,
          status: 404,
          message: `The requested resource /Services/${service.sid}/Bindings/${sid} was not found`,
        });
      }
    });

    it("hides another account's bindings and refuses SDK users", async () => {
      const other = await insertAccount();
      const theirs = await createService(other);
      await send('chat.v1.cmd.user.create', { caller: system(other), params: { ServiceSid: theirs.sid, Identity: 'mallory' } });
      const binding = await register(system(other), { ServiceSid: theirs.sid, Identity: 'mallory', BindingType: 'fcm', Endpoint: 'm' });
      const key = { ServiceSid: theirs.sid, Sid: binding.sid };
      expect(await failureOf(send('chat.v1.cmd.binding.fetch', { caller: system(), params: key }))).toMatchObject({ code: 20404 });
      expect(await failureOf(send('chat.v1.cmd.binding.delete', { caller: system(), params: key }))).toMatchObject({ code: 20404 });
      expect(await failureOf(send('chat.v1.cmd.binding.list', { caller: system(), params: { ServiceSid: theirs.sid } }))).toMatchObject({ code: 20404 });
      expect(await failureOf(register(system(), { ServiceSid: theirs.sid, Identity: 'mallory', BindingType: 'fcm', Endpoint: 'm' }))).toMatchObject({
        code: 20404,
      });
      expect(await failureOf(send('chat.v1.cmd.binding.list', { caller: asUser(theirs.sid, 'mallory'), params: { ServiceSid: theirs.sid } }))).toMatchObject({
        status: 403,
        code: 50107,
      });
      await expect(send('chat.v1.cmd.binding.fetch', { caller: system(other), params: key })).resolves.toEqual(binding);
    });
  });

  describe('Credentials', () => {
    it('stores secret material sealed to the credential and never returns it', async () => {
      const apn = await createCredential({
        Type: 'apn',
        FriendlyName: 'ios',
        Certificate: '-----BEGIN CERTIFICATE-----\nMIIF\n-----END CERTIFICATE-----',
        PrivateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
        Sandbox: 'true',
      });
      expect(apn).toEqual({
        sid: expect.stringMatching(/^CR[0-9a-f]{32}$/),
        account_sid: config.PARLEY_ACCOUNT_SID,
        friendly_name: 'ios',
        type: 'apn',
        sandbox: 'True',
        date_created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        date_updated: apn.date_created,
      });
      const { rows } = await pg.query('SELECT * FROM credentials WHERE sid = $1', [apn.sid]);
      const row = rows[0];
      expect(JSON.stringify(row)).not.toContain('MIIF');
      expect(JSON.stringify(row)).not.toContain('MIIE');
      const box = new SecretBox(config.PARLEY_SECRET_KEY);
      expect(box.open(row.certificate_encrypted, apn.sid)).toContain('MIIF');
      expect(box.open(row.private_key_encrypted, apn.sid)).toContain('MIIE');
      expect(row.api_key_encrypted).toBeNull();

      const gcm = await createCredential({ Type: 'gcm', ApiKey: 'AIza-secret' });
      expect(gcm).toMatchObject({ type: 'gcm', sandbox: 'False', friendly_name: null });
      const gcmRow = (await pg.query('SELECT api_key_encrypted FROM credentials WHERE sid = $1', [gcm.sid])).rows[0];
      expect(box.open(gcmRow.api_key_encrypted, gcm.sid)).toBe('AIza-secret');
    });

    it('fetches, updates only what is given, lists across pages and deletes', async () => {
      const account = await insertAccount();
      const created: CredentialResource[] = [];
      for (const name of ['c1', 'c2', 'c3']) created.push(await createCredential({ Type: 'fcm', FriendlyName: name, Secret: `s-${name}` }, account));
      const caller = system(account);
      const [first] = created as [CredentialResource];
      await expect(send('chat.v1.cmd.credential.fetch', { caller, params: { Sid: first.sid } })).resolves.toEqual(first);

      const updated = await send('chat.v1.cmd.credential.update', { caller, params: { Sid: first.sid, FriendlyName: 'renamed', Secret: 'rotated' } });
      expect(updated).toMatchObject({ sid: first.sid, friendly_name: 'renamed', type: 'fcm', sandbox: 'False', date_created: first.date_created });
      const box = new SecretBox(config.PARLEY_SECRET_KEY);
      const stored = (await pg.query('SELECT secret_encrypted FROM credentials WHERE sid = $1', [first.sid])).rows[0];
      expect(box.open(stored.secret_encrypted, first.sid)).toBe('rotated');
      await expect(send('chat.v1.cmd.credential.update', { caller, params: { Sid: first.sid, Sandbox: 'true' } })).resolves.toMatchObject({
        friendly_name: 'renamed',
        sandbox: 'True',
      });

      const pages: CredentialResource[][] = [];
      let token: string | null = null;
      do {
        const page: { items: CredentialResource[]; nextPageToken: string | null } = await send('chat.v1.cmd.credential.list', {
          caller,
          params: { PageSize: 2, ...(token ? { PageToken: token } : {}) },
        });
        pages.push(page.items);
        token = page.nextPageToken;
      } while (token);
      expect(pages.map((p) => p.map((c) => c.sid))).toEqual([[created[0]!.sid, created[1]!.sid], [created[2]!.sid]]);
      await expect(send('chat.v1.cmd.credential.list', { caller, params: { PageSize: 1000 } })).resolves.toMatchObject({ pageSize: 1000 });
      expect(await failureOf(send('chat.v1.cmd.credential.list', { caller, params: { PageSize: 1001 } }))).toMatchObject({ code: 20001 });

      // Another account sees none of them.
      for (const attempt of [
        send('chat.v1.cmd.credential.fetch', { caller: system(), params: { Sid: first.sid } }),
        send('chat.v1.cmd.credential.update', { caller: system(), params: { Sid: first.sid, FriendlyName: 'stolen' } }),
        send('chat.v1.cmd.credential.delete', { caller: system(), params: { Sid: first.sid } }),
      ]) {
        expect(await failureOf(attempt)).toEqual({ code: 20404, status: 404, message: `The requested resource /Credentials/${first.sid} was not found` });
      }
      expect((await send('chat.v1.cmd.credential.list', { caller: system(), params: {} })).items.map((c) => c.sid)).not.toContain(first.sid);

      await expect(send('chat.v1.cmd.credential.delete', { caller, params: { Sid: first.sid } })).resolves.toEqual({});
      expect(await failureOf(send('chat.v1.cmd.credential.fetch', { caller, params: { Sid: first.sid } }))).toMatchObject({ code: 20404 });
    });

    it('deleting a credential leaves its bindings without one', async () => {
      const service = await createService();
      await createUser(service.sid, 'frank');
      const credential = await createCredential({ Type: 'apn' });
      const binding = await register(system(), { ServiceSid: service.sid, Identity: 'frank', BindingType: 'apn', Endpoint: 'f', CredentialSid: credential.sid });
      expect(binding.credential_sid).toBe(credential.sid);
      await send('chat.v1.cmd.credential.delete', { caller: system(), params: { Sid: credential.sid } });
      await expect(send('chat.v1.cmd.binding.fetch', { caller: system(), params: { ServiceSid: service.sid, Sid: binding.sid } })).resolves.toMatchObject({
        credential_sid: null,
      });
    });

    it('refuses bad input and SDK users', async () => {
      // Each failure is caught as soon as it is sent: a rejection nobody awaits yet fails the test run.
      const cases: [ReturnType<typeof failureOf>, number, number][] = [
        [failureOf(createCredential({ Type: 'sms' as never })), 400, 20001],
        [failureOf(createCredential({} as never)), 400, 20001],
        [failureOf(createCredential({ Type: 'apn', FriendlyName: 'x'.repeat(65) })), 400, 20001],
        [failureOf(createCredential({ Type: 'apn', Sandbox: 'maybe' })), 400, 20001],
        [failureOf(send('chat.v1.cmd.credential.fetch', { caller: system(), params: { Sid: 'CR1' } })), 400, 20001],
        [failureOf(send('chat.v1.cmd.credential.list', { caller: { ...system(), actor: { kind: 'user', identity: 'x' } }, params: {} })), 403, 50107],
      ];
      for (const [failure, status, code] of cases) expect(await failure).toMatchObject({ status, code });
    });
  });
});
