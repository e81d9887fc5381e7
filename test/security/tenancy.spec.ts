import twilio from 'twilio';
import { io, type Socket } from 'socket.io-client';
import { Client, type Message } from '@parley/client';
import { startStack, waitFor, type Stack } from '@parley/testing';
import { snapshotDatabase, snapshotDifferences } from '../fuzz/support/db-snapshot';
import { basicAuth } from '../fuzz/support/raw-http';
import { createSubaccount, seedTenant, type Tenant } from '../fuzz/support/tenant';

/**
 * Tenancy: an account reaches none of another account's resources (every kind answers 404, exactly like a sid that
 * does not exist, and nothing changes), and a private channel is invisible to users who are not its members, through
 * REST user channels and through every SDK call.
 */
describe('tenant isolation and private channels', () => {
  let stack: Stack;
  let base: string;
  let a: Tenant;
  let b: Tenant;
  let parent: Tenant;
  const clients: Client[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await startStack({ label: 'sectenancy', apps: ['message-service', 'presence-service', 'api-gateway', 'realtime-gateway'] });
    base = stack.get('api-gateway').url;
    const subA = await createSubaccount(stack, 'tenant a');
    const subB = await createSubaccount(stack, 'tenant b');
    a = await seedTenant(stack, subA.accountSid, subA.authToken, 'a');
    b = await seedTenant(stack, subB.accountSid, subB.authToken, 'b');
    parent = await seedTenant(stack, stack.accountSid, stack.authToken, 'parent');
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all(clients.map((c) => c.shutdown().catch(() => undefined)));
    await stack?.stop();
  });

  function token(t: Tenant, identity: string): string {
    const jwt = new twilio.jwt.AccessToken(t.accountSid, t.keySid, t.keySecret, { identity, ttl: 3600 });
    jwt.addGrant(new twilio.jwt.AccessToken.ChatGrant({ serviceSid: t.serviceSid }));
    return jwt.toJwt();
  }

  async function call(method: string, path: string, authorization: string, form?: string) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization, ...(form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  /** Every resource kind of a tenant, as [method, path, form] — reads, updates, deletes and lists/creates under it. */
  function resourcesOf(t: Tenant, { chatOnly = false } = {}): [string, string, string?][] {
    const S = `/v2/Services/${t.serviceSid}`;
    const C = `${S}/Channels/${t.channelSid}`;
    const accounts: [string, string, string?][] = [
      ['GET', `/2010-04-01/Accounts/${t.accountSid}.json`],
      ['POST', `/2010-04-01/Accounts/${t.accountSid}.json`, 'FriendlyName=taken'],
      ['GET', `/2010-04-01/Accounts/${t.accountSid}/Keys.json`],
      ['POST', `/2010-04-01/Accounts/${t.accountSid}/Keys.json`, 'FriendlyName=planted'],
      ['GET', `/2010-04-01/Accounts/${t.accountSid}/Keys/${t.keySid}.json`],
      ['POST', `/2010-04-01/Accounts/${t.accountSid}/Keys/${t.keySid}.json`, 'FriendlyName=taken'],
      ['DELETE', `/2010-04-01/Accounts/${t.accountSid}/Keys/${t.keySid}.json`],
    ];
    const chat: [string, string, string?][] = [
      ['GET', `/v1/Services/${t.serviceSid}/Configuration`],
      ['POST', `/v1/Services/${t.serviceSid}/Configuration`, 'ReachabilityEnabled=true'],
      ['GET', S],
      ['POST', S, 'FriendlyName=taken'],
      ['DELETE', S],
      ['GET', `${S}/Roles`],
      ['POST', `${S}/Roles`, 'FriendlyName=planted&Type=channel&Permission=sendMessage'],
      ['GET', `${S}/Roles/${t.roleSid}`],
      ['POST', `${S}/Roles/${t.roleSid}`, 'Permission=sendMessage'],
      ['DELETE', `${S}/Roles/${t.roleSid}`],
      ['GET', `${S}/Users`],
      ['POST', `${S}/Users`, 'Identity=planted'],
      ['GET', `${S}/Users/${t.userSid}`],
      ['GET', `${S}/Users/alice`],
      ['POST', `${S}/Users/${t.userSid}`, 'FriendlyName=taken'],
      ['DELETE', `${S}/Users/${t.userSid}`],
      ['GET', `${S}/Users/${t.userSid}/Channels`],
      ['GET', `${S}/Users/${t.userSid}/Channels/${t.channelSid}`],
      ['POST', `${S}/Users/${t.userSid}/Channels/${t.channelSid}`, 'NotificationLevel=muted'],
      ['DELETE', `${S}/Users/${t.userSid}/Channels/${t.channelSid}`],
      ['GET', `${S}/Users/${t.userSid}/Bindings`],
      ['GET', `${S}/Users/${t.userSid}/Bindings/${t.bindingSid}`],
      ['DELETE', `${S}/Users/${t.userSid}/Bindings/${t.bindingSid}`],
      ['GET', `${S}/Bindings`],
      ['GET', `${S}/Bindings/${t.bindingSid}`],
      ['DELETE', `${S}/Bindings/${t.bindingSid}`],
      ['GET', `/v2/Credentials/${t.credentialSid}`],
      ['POST', `/v2/Credentials/${t.credentialSid}`, 'FriendlyName=taken'],
      ['DELETE', `/v2/Credentials/${t.credentialSid}`],
      ['GET', `${S}/Channels`],
      ['POST', `${S}/Channels`, 'FriendlyName=planted'],
      ['GET', C],
      ['GET', `${S}/Channels/${t.privateChannelSid}`],
      ['POST', C, 'FriendlyName=taken'],
      ['DELETE', C],
      ['GET', `${C}/Members`],
      ['POST', `${C}/Members`, 'Identity=intruder'],
      ['GET', `${C}/Members/${t.memberSid}`],
      ['POST', `${C}/Members/${t.memberSid}`, 'LastConsumedMessageIndex=0'],
      ['DELETE', `${C}/Members/${t.memberSid}`],
      ['GET', `${C}/Messages`],
      ['POST', `${C}/Messages`, 'Body=planted'],
      ['GET', `${C}/Messages/${t.messageSid}`],
      ['POST', `${C}/Messages/${t.messageSid}`, 'Body=taken'],
      ['DELETE', `${C}/Messages/${t.messageSid}`],
      ['GET', `${C}/Invites`],
      ['POST', `${C}/Invites`, 'Identity=intruder'],
      ['GET', `${C}/Invites/${t.inviteSid}`],
      ['DELETE', `${C}/Invites/${t.inviteSid}`],
      ['GET', `${C}/Webhooks`],
      ['POST', `${C}/Webhooks`, 'Type=webhook&Configuration.Url=https%3A%2F%2Fevil.example%2Fhook'],
      ['GET', `${C}/Webhooks/${t.webhookSid}`],
      ['POST', `${C}/Webhooks/${t.webhookSid}`, 'Configuration.Url=https%3A%2F%2Fevil.example%2Fhook'],
      ['DELETE', `${C}/Webhooks/${t.webhookSid}`],
    ];
    return chatOnly ? chat : [...accounts, ...chat];
  }

  it("answers 404 to another account for every resource kind, with either credential, and changes nothing", async () => {
    const before = await snapshotDatabase(stack.database.url, { accountSid: a.accountSid });
    const outcomes: string[] = [];
    for (const [kind, authorization] of [['auth token', basicAuth(b.accountSid, b.authToken)], ['api key', basicAuth(b.keySid, b.keySecret)]]) {
      for (const [method, path, form] of resourcesOf(a)) {
        const res = await call(method, path, authorization, form);
        outcomes.push(`${method} ${path.replaceAll(a.accountSid, '{A}')} → ${res.status} ${String(res.body.code)}`);
        // API keys may not use the Accounts and Keys resources at all, as on Twilio: 401 20003 whatever the account,
        // its own included (checked below), so the answer tells nothing about another account.
        const expected = kind === 'api key' && path.startsWith('/2010-04-01/') ? 401 : 404;
        expect({ kind, method, path, status: res.status, status_in_body: res.body.status }).toEqual({ kind, method, path, status: expected, status_in_body: expected });
      }
    }
    const ownWithKey = await call('GET', `/2010-04-01/Accounts/${b.accountSid}/Keys.json`, basicAuth(b.keySid, b.keySecret));
    expect(ownWithKey.status).toBe(401);
    const after = await snapshotDatabase(stack.database.url, { accountSid: a.accountSid });
    expect(snapshotDifferences(before, after)).toEqual([]);
    expect(outcomes.length).toBe(2 * resourcesOf(a).length);
  });

  it("answers 404 to the parent account for its subaccount's chat resources (Services belong to one account)", async () => {
    const before = await snapshotDatabase(stack.database.url, { accountSid: a.accountSid });
    for (const [method, path, form] of resourcesOf(a, { chatOnly: true })) {
      const res = await call(method, path, basicAuth(parent.accountSid, parent.authToken), form);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    // ... and the other way round: a subaccount reaches nothing of its parent, Accounts and Keys included.
    for (const [method, path, form] of resourcesOf(parent)) {
      const res = await call(method, path, basicAuth(a.accountSid, a.authToken), form);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    expect(snapshotDifferences(before, await snapshotDatabase(stack.database.url, { accountSid: a.accountSid }))).toEqual([]);
  });

  it("lists only the caller's own Services, Credentials and Accounts", async () => {
    const asB = basicAuth(b.accountSid, b.authToken);
    const services = (await call('GET', '/v2/Services?PageSize=100', asB)).body.services as { sid: string }[];
    const credentials = (await call('GET', '/v2/Credentials?PageSize=100', asB)).body.credentials as { sid: string }[];
    const accounts = (await call('GET', '/2010-04-01/Accounts.json?PageSize=100', asB)).body.accounts as { sid: string }[];
    expect(services.map((s) => s.sid)).toEqual([b.serviceSid]);
    expect(credentials.map((c) => c.sid)).toEqual([b.credentialSid]);
    expect(accounts.map((x) => x.sid)).toEqual([b.accountSid]);
  });

  it("refuses an SDK user every command on another account's channels, messages and users", async () => {
    const socket = io(stack.get('realtime-gateway').url, { transports: ['websocket'], auth: { token: token(b, 'alice') }, reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('session', () => resolve()));
    const ask = (event: string, payload: unknown) =>
      new Promise<{ ok: boolean; error?: { code: number; status: number } }>((resolve) => socket.emit(event, payload, resolve));
    const attempts: [string, unknown][] = [
      ['channel.get', { channel: a.channelSid }],
      ['channel.get', { channel: a.privateChannelSid }],
      ['channel.join', { channel: a.channelSid }],
      ['channel.members', { channel: a.channelSid }],
      ['channel.add', { channel: a.channelSid, identity: 'alice' }],
      ['channel.update', { channel: a.channelSid, friendlyName: 'taken' }],
      ['channel.delete', { channel: a.channelSid }],
      ['message.send', { channel: a.channelSid, body: 'planted', idempotencyKey: 'cross-account-01' }],
      ['message.page', { channel: a.channelSid }],
      ['message.update', { channel: a.channelSid, message: a.messageSid, body: 'taken' }],
      ['message.remove', { channel: a.channelSid, message: a.messageSid }],
      ['consumption.all', { channel: a.channelSid }],
      ['typing', { channel: a.channelSid }],
      ['user.subscribe', { identity: a.userSid }],
      ['resume', { channels: [{ channel: a.channelSid, lastIndex: null }] }],
    ];
    for (const [event, payload] of attempts) {
      const reply = await ask(event, payload);
      if (event === 'resume') {
        // Nothing of another account's channel comes back.
        expect({ event, reply }).not.toMatchObject({ event, reply: { ok: true, data: [{ recovered: true, messages: [expect.anything()] }] } });
        continue;
      }
      expect({ event, ok: reply.ok, status: reply.error?.status }).toEqual({ event, ok: false, status: expect.any(Number) });
      expect([403, 404]).toContain(reply.error?.status);
    }
  });

  describe('a private channel', () => {
    it('is invisible to a non-member through REST user channels', async () => {
      const S = a.rest.chat.v2.services(a.serviceSid);
      const bobChannels = await S.users('bob').userChannels.list();
      expect(bobChannels.map((c) => c.channelSid)).not.toContain(a.privateChannelSid);
      const aliceChannels = await S.users('alice').userChannels.list();
      expect(aliceChannels.map((c) => c.channelSid)).toContain(a.privateChannelSid);
      await expect(S.users('bob').userChannels(a.privateChannelSid).fetch()).rejects.toMatchObject({ status: 404 });
    });

    it('is invisible to a non-member through every SDK call, and its messages never reach them', async () => {
      const alice = await Client.create(token(a, 'alice'), { url: stack.get('realtime-gateway').url, commandTimeout: 5_000 });
      const bob = await Client.create(token(a, 'bob'), { url: stack.get('realtime-gateway').url, commandTimeout: 5_000 });
      clients.push(alice, bob);
      const bobSaw: string[] = [];
      bob.on('messageAdded', (m: Message) => bobSaw.push(m.channel.sid));
      bob.on('channelAdded', (c) => bobSaw.push(`added:${c.sid}`));
      const aliceSaw: string[] = [];
      alice.on('messageAdded', (m: Message) => aliceSaw.push(m.body ?? ''));

      const sids = async (p: Promise<{ items: { sid: string }[]; hasNextPage: boolean; nextPage(): Promise<unknown> }>) => (await p).items.map((c) => c.sid);
      expect(await sids(bob.getSubscribedChannels() as never)).not.toContain(a.privateChannelSid);
      expect(await sids(bob.getUserChannelDescriptors() as never)).not.toContain(a.privateChannelSid);
      expect(await sids(bob.getPublicChannelDescriptors() as never)).not.toContain(a.privateChannelSid);
      expect(await sids(alice.getSubscribedChannels() as never)).toContain(a.privateChannelSid);
      await expect(bob.getChannelBySid(a.privateChannelSid)).rejects.toBeDefined();
      await expect(bob.getChannelByUniqueName('a-private')).rejects.toBeDefined();

      // The raw commands an SDK could send, by sid and by unique name.
      const socket = io(stack.get('realtime-gateway').url, { transports: ['websocket'], auth: { token: token(a, 'bob') }, reconnection: false, forceNew: true });
      sockets.push(socket);
      await new Promise<void>((resolve) => socket.once('session', () => resolve()));
      const ask = (event: string, payload: unknown) =>
        new Promise<{ ok: boolean; data?: unknown; error?: { code: number; status: number } }>((resolve) => socket.emit(event, payload, resolve));
      for (const channel of [a.privateChannelSid, 'a-private']) {
        for (const [event, payload] of [
          ['channel.get', { channel }],
          ['channel.join', { channel }],
          ['channel.members', { channel }],
          ['message.page', { channel }],
          ['message.send', { channel, body: 'let me in', idempotencyKey: `private-${channel.slice(0, 8)}-1` }],
          ['typing', { channel }],
          ['consumption.all', { channel }],
        ] as [string, unknown][]) {
          const reply = await ask(event, payload);
          expect({ event, channel, ok: reply.ok }).toEqual({ event, channel, ok: false });
        }
      }
      const resumed = await ask('resume', { channels: [{ channel: a.privateChannelSid, lastIndex: null }] });
      expect(JSON.stringify(resumed)).not.toContain('a hello');

      await a.rest.chat.v2.services(a.serviceSid).channels(a.privateChannelSid).messages.create({ body: 'members only', from: 'alice' });
      await a.rest.chat.v2.services(a.serviceSid).channels(a.channelSid).messages.create({ body: 'public marker', from: 'alice' });
      await waitFor(() => aliceSaw.includes('members only') && aliceSaw.includes('public marker'), { description: 'alice to receive both messages' });
      expect(bobSaw).not.toContain(a.privateChannelSid);
      expect(bobSaw).not.toContain(`added:${a.privateChannelSid}`);
    });
  });
});
