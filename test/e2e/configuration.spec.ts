import type twilio from 'twilio';
import { startStack, twilioClient, type Stack } from '@parley/testing';

/**
 * The Conversations-style Service Configuration of a Chat Service through the unmodified `twilio` helper
 * (conversations.twilio.com redirected to the gateway): the same settings as the Chat v2 Service.
 */
describe('Service Configuration through the official twilio helper', () => {
  let stack: Stack;
  let base: string;
  let client: twilio.Twilio;

  beforeAll(async () => {
    stack = await startStack({ label: 'configuration', apps: ['message-service', 'api-gateway'] });
    base = stack.get('api-gateway').url;
    client = twilioClient(base, stack.accountSid, stack.authToken);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("fetches a Service's default roles and reachability under Conversations names, with absolute url and links", async () => {
    const service = await client.chat.v2.services.create({ friendlyName: 'conversations view' });
    const configuration = await client.conversations.v1.services(service.sid).configuration().fetch();
    expect(configuration.chatServiceSid).toBe(service.sid);
    expect(configuration.defaultChatServiceRoleSid).toBe(service.defaultServiceRoleSid);
    expect(configuration.defaultConversationRoleSid).toBe(service.defaultChannelRoleSid);
    expect(configuration.defaultConversationCreatorRoleSid).toBe(service.defaultChannelCreatorRoleSid);
    expect(configuration.reachabilityEnabled).toBe(false);
    expect(configuration.url).toBe(`${base}/v1/Services/${service.sid}/Configuration`);
    expect(configuration.links).toEqual({
      notifications: `${base}/v1/Services/${service.sid}/Configuration/Notifications`,
      webhooks: `${base}/v1/Services/${service.sid}/Configuration/Webhooks`,
    });
  });

  it('round-trips ReachabilityEnabled with the Chat v2 Service, both ways', async () => {
    const service = await client.chat.v2.services.create({ friendlyName: 'reachability' });
    const configuration = client.conversations.v1.services(service.sid).configuration();

    const updated = await configuration.update({ reachabilityEnabled: true });
    expect(updated.reachabilityEnabled).toBe(true);
    await expect(client.chat.v2.services(service.sid).fetch()).resolves.toMatchObject({ reachabilityEnabled: true });

    await client.chat.v2.services(service.sid).update({ reachabilityEnabled: false });
    await expect(configuration.fetch()).resolves.toMatchObject({ reachabilityEnabled: false });
  });

  it("sets the default roles, refusing a role of the wrong scope or another Service's", async () => {
    const service = await client.chat.v2.services.create({ friendlyName: 'roles' });
    const roles = await listRoles(service.sid);
    const channelAdmin = roles['channel admin']!;
    const serviceAdmin = roles['service admin']!;
    const configuration = client.conversations.v1.services(service.sid).configuration();

    const updated = await configuration.update({ defaultConversationRoleSid: channelAdmin, defaultChatServiceRoleSid: serviceAdmin });
    expect(updated.defaultConversationRoleSid).toBe(channelAdmin);
    expect(updated.defaultChatServiceRoleSid).toBe(serviceAdmin);
    await expect(client.chat.v2.services(service.sid).fetch()).resolves.toMatchObject({
      defaultChannelRoleSid: channelAdmin,
      defaultServiceRoleSid: serviceAdmin,
    });

    await expect(configuration.update({ defaultChatServiceRoleSid: channelAdmin })).rejects.toMatchObject({ status: 400, code: 50100 });
    await expect(configuration.update({ defaultConversationCreatorRoleSid: serviceAdmin })).rejects.toMatchObject({ status: 400, code: 50101 });
    const other = await client.chat.v2.services.create({ friendlyName: 'other' });
    const otherRoles = await listRoles(other.sid);
    await expect(configuration.update({ defaultConversationRoleSid: otherRoles['channel user']! })).rejects.toMatchObject({ status: 400, code: 50101 });
    await expect(configuration.fetch()).resolves.toMatchObject({ defaultConversationRoleSid: channelAdmin });
  });

  it("answers 404 for an unknown Service or another account's, and 400 for bad input", async () => {
    await expect(client.conversations.v1.services(`IS${'0'.repeat(32)}`).configuration().fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    const sub = await client.api.v2010.accounts.create({ friendlyName: 'other tenant' });
    const theirs = await twilioClient(base, sub.sid, sub.authToken).chat.v2.services.create({ friendlyName: 'theirs' });
    await expect(client.conversations.v1.services(theirs.sid).configuration().fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.conversations.v1.services(theirs.sid).configuration().update({ reachabilityEnabled: true })).rejects.toMatchObject({
      status: 404,
    });

    const mine = await client.chat.v2.services.create({ friendlyName: 'bad input' });
    const res = await fetch(`${base}/v1/Services/${mine.sid}/Configuration`, {
      method: 'POST',
      headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'ReachabilityEnabled=maybe',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 20001, status: 400 });
    const unauthenticated = await fetch(`${base}/v1/Services/${mine.sid}/Configuration`);
    expect(unauthenticated.status).toBe(401);
  });

  /** Role sids by friendly name, read through the raw REST API (the Roles resource is another engineer's). */
  async function listRoles(serviceSid: string): Promise<Record<string, string>> {
    const { Client } = await import('pg');
    const db = new Client({ connectionString: stack.database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ sid: string; friendly_name: string }>('SELECT sid, friendly_name FROM roles WHERE service_sid = $1', [serviceSid]);
      return Object.fromEntries(rows.map((r) => [r.friendly_name, r.sid]));
    } finally {
      await db.end();
    }
  }

  function basic(): string {
    return `Basic ${Buffer.from(`${stack.accountSid}:${stack.authToken}`).toString('base64')}`;
  }
});
