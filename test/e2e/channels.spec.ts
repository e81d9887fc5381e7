import type twilio from 'twilio';
import { startStack, twilioClient, type Stack } from '@parley/testing';

/*
 * Channels and Channel Webhooks end to end: the unmodified `twilio` helper → api-gateway → NATS →
 * message-service → Postgres, the real services running as processes.
 */

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('Channels and Channel Webhooks through the official twilio helper', () => {
  let stack: Stack;
  let client: twilio.Twilio;
  let base: string;
  let serviceSid: string;

  const channels = () => client.chat.v2.services(serviceSid).channels;
  const raw = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { authorization: basic(stack), ...(init.headers ?? {}) } });

  beforeAll(async () => {
    stack = await startStack({ label: 'channels', apps: ['message-service', 'api-gateway'] });
    base = stack.get('api-gateway').url;
    client = twilioClient(base, stack.accountSid, stack.authToken);
    serviceSid = (await client.chat.v2.services.create({ friendlyName: 'channels e2e' })).sid;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('creates a channel with every field of the spec, typed, and absolute url and links', async () => {
    const channel = await channels().create({
      friendlyName: 'General',
      uniqueName: 'general',
      attributes: JSON.stringify({ topic: 'all' }),
      xTwilioWebhookEnabled: 'true',
    });
    expect(channel.sid).toMatch(/^CH[0-9a-f]{32}$/);
    expect(channel.accountSid).toBe(stack.accountSid);
    expect(channel.serviceSid).toBe(serviceSid);
    expect(channel.friendlyName).toBe('General');
    expect(channel.uniqueName).toBe('general');
    expect(JSON.parse(channel.attributes)).toEqual({ topic: 'all' });
    expect(channel.type).toBe('public');
    expect(channel.dateCreated).toBeInstanceOf(Date);
    expect(channel.dateUpdated).toBeInstanceOf(Date);
    expect(channel.createdBy).toBe('system');
    expect(channel.membersCount).toBe(0);
    expect(channel.messagesCount).toBe(0);
    const url = `${base}/v2/Services/${serviceSid}/Channels/${channel.sid}`;
    expect(channel.url).toBe(url);
    expect(channel.links).toEqual({
      members: `${url}/Members`,
      messages: `${url}/Messages`,
      invites: `${url}/Invites`,
      webhooks: `${url}/Webhooks`,
      last_message: null,
    });

    const res = await raw(`/v2/Services/${serviceSid}/Channels/${channel.sid}`);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      [
        'sid', 'account_sid', 'service_sid', 'friendly_name', 'unique_name', 'attributes', 'type', 'date_created', 'date_updated',
        'created_by', 'members_count', 'messages_count', 'url', 'links',
      ].sort(),
    );
    expect(body.date_created).toMatch(DATE);
    expect(body.attributes).toBe('{"topic":"all"}');
  });

  it('backfills dates and creator, and makes private channels', async () => {
    const dateCreated = new Date('2015-12-16T22:18:37Z');
    const channel = await channels().create({ type: 'private', dateCreated, createdBy: 'archivist' });
    expect(channel.type).toBe('private');
    expect(channel.dateCreated.toISOString()).toBe(dateCreated.toISOString());
    expect(channel.createdBy).toBe('archivist');
    expect(channel.uniqueName).toBeNull();
    expect(channel.friendlyName).toBeNull();
  });

  it('fetches, updates and deletes by sid or unique name', async () => {
    const created = await channels().create({ uniqueName: 'to-change' });
    expect((await channels()('to-change').fetch()).sid).toBe(created.sid);
    const updated = await channels()('to-change').update({
      friendlyName: 'Changed',
      uniqueName: 'changed',
      attributes: '{"v":2}',
      xTwilioWebhookEnabled: 'false',
    });
    expect(updated).toMatchObject({ sid: created.sid, friendlyName: 'Changed', uniqueName: 'changed', attributes: '{"v":2}' });
    expect(updated.dateUpdated.getTime()).toBeGreaterThanOrEqual(created.dateUpdated.getTime());
    await expect(channels()('changed').remove({ xTwilioWebhookEnabled: 'true' })).resolves.toBe(true);
    await expect(channels()(created.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(channels()('changed').remove()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('lists public channels by default and filters by repeated Type, following next_page_url across pages', async () => {
    const service = await client.chat.v2.services.create({ friendlyName: 'listing' });
    const list = client.chat.v2.services(service.sid).channels;
    const publics = [];
    for (let i = 0; i < 5; i++) publics.push(await list.create({ friendlyName: `pub-${i}` }));
    const privates = [await list.create({ type: 'private' }), await list.create({ type: 'private' })];

    const byDefault = await list.list({ pageSize: 2 });
    expect(byDefault.map((c) => c.sid).sort()).toEqual(publics.map((c) => c.sid).sort());
    const onlyPrivate = await list.list({ type: ['private'], pageSize: 2 });
    expect(onlyPrivate.map((c) => c.sid).sort()).toEqual(privates.map((c) => c.sid).sort());
    const both = await list.list({ type: ['public', 'private'], pageSize: 2 });
    expect(both.map((c) => c.sid).sort()).toEqual([...publics, ...privates].map((c) => c.sid).sort());

    const page = await list.page({ pageSize: 2, type: ['public', 'private'] });
    expect(page.instances).toHaveLength(2);
    expect(page.nextPageUrl).toMatch(new RegExp(`^${base}/v2/Services/${service.sid}/Channels\\?Type=public&Type=private&PageSize=2&Page=1&PageToken=`));
    const second = await page.nextPage();
    expect(second?.instances).toHaveLength(2);
    expect(second?.previousPageUrl).toMatch(/^http/);

    const json = (await (await raw(`/v2/Services/${service.sid}/Channels?PageSize=2`)).json()) as { meta: Record<string, unknown>; channels: unknown[] };
    expect(json.meta).toMatchObject({ page: 0, page_size: 2, key: 'channels', previous_page_url: null });
    expect(json.channels).toHaveLength(2);
    const defaultSize = (await (await raw(`/v2/Services/${service.sid}/Channels`)).json()) as { meta: { page_size: number } };
    expect(defaultSize.meta.page_size).toBe(50);
  });

  it('links the last message once the channel has one, and counts messages', async () => {
    const channel = await channels().create({});
    const message = await channels()(channel.sid).messages.create({ body: 'hello' });
    const fetched = await channels()(channel.sid).fetch();
    expect(fetched.messagesCount).toBe(1);
    expect(fetched.links.last_message).toBe(`${base}/v2/Services/${serviceSid}/Channels/${channel.sid}/Messages/${message.sid}`);
  });

  it('answers each error with its Twilio code and status', async () => {
    await channels().create({ uniqueName: 'unique' });
    await expect(channels().create({ uniqueName: 'unique' })).rejects.toMatchObject({ status: 409, code: 50307 });
    await expect(channels().create({ uniqueName: `CH${'b'.repeat(32)}` })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(channels().create({ attributes: 'not json' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(channels().create({ type: 'secret' as 'public' })).rejects.toMatchObject({ status: 400, code: 20001 });
    await expect(channels()('no-such-channel').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.chat.v2.services(`IS${'0'.repeat(32)}`).channels.create({})).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(client.chat.v2.services(`IS${'0'.repeat(32)}`).channels.list()).rejects.toMatchObject({ status: 404, code: 20404 });
    const json = (await (await raw(`/v2/Services/${serviceSid}/Channels/nope`)).json()) as Record<string, unknown>;
    expect(json).toEqual({
      code: 20404,
      message: `The requested resource /Services/${serviceSid}/Channels/nope was not found`,
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    });
  });

  describe('webhooks', () => {
    it('creates, fetches, updates, lists (5 per page at most) and deletes channel webhooks', async () => {
      const channel = await channels().create({ uniqueName: 'hooked' });
      const hooks = channels()('hooked').webhooks;
      const webhook = await hooks.create({
        type: 'webhook',
        'configuration.url': 'https://example.com/hook',
        'configuration.method': 'GET',
        'configuration.filters': ['onMessageSent', 'onChannelDestroyed'],
        'configuration.retryCount': 2,
      });
      expect(webhook.sid).toMatch(/^WH[0-9a-f]{32}$/);
      expect(webhook).toMatchObject({ accountSid: stack.accountSid, serviceSid, channelSid: channel.sid, type: 'webhook' });
      expect(webhook.configuration).toEqual({ url: 'https://example.com/hook', method: 'GET', filters: ['onMessageSent', 'onChannelDestroyed'], retry_count: 2 });
      expect(webhook.url).toBe(`${base}/v2/Services/${serviceSid}/Channels/${channel.sid}/Webhooks/${webhook.sid}`);
      expect(webhook.dateCreated).toBeInstanceOf(Date);
      expect((await hooks(webhook.sid).fetch()).configuration).toEqual(webhook.configuration);

      const updated = await hooks(webhook.sid).update({ 'configuration.filters': ['onMemberAdded'], 'configuration.retryCount': 0 });
      expect(updated.configuration).toEqual({ url: 'https://example.com/hook', method: 'GET', filters: ['onMemberAdded'], retry_count: 0 });

      const trigger = await hooks.create({ type: 'trigger', 'configuration.url': 'https://example.com/t', 'configuration.triggers': ['help', 'stop'] });
      expect(trigger.configuration).toEqual({ url: 'https://example.com/t', method: 'POST', triggers: ['help', 'stop'], retry_count: 0 });
      const studio = await hooks.create({ type: 'studio', 'configuration.flowSid': `FW${'c'.repeat(32)}` });
      expect(studio.configuration).toEqual({ flow_sid: `FW${'c'.repeat(32)}`, retry_count: 0 });
      for (let i = 0; i < 4; i++) await hooks.create({ type: 'webhook', 'configuration.url': `https://example.com/${i}` });

      const page = await hooks.page({ pageSize: 50 });
      expect(page.instances).toHaveLength(5);
      expect(page.nextPageUrl).toMatch(/PageSize=5/);
      expect(await hooks.list()).toHaveLength(7);

      await expect(hooks(webhook.sid).remove()).resolves.toBe(true);
      await expect(hooks(webhook.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    });

    it('refuses incomplete or invalid configurations with 400 20001', async () => {
      const channel = await channels().create({});
      const hooks = channels()(channel.sid).webhooks;
      await expect(hooks.create({ type: 'webhook' })).rejects.toMatchObject({ status: 400, code: 20001 });
      await expect(hooks.create({ type: 'studio' })).rejects.toMatchObject({ status: 400, code: 20001 });
      await expect(hooks.create({ type: 'webhook', 'configuration.url': 'ftp://nope' })).rejects.toMatchObject({ status: 400, code: 20001 });
      await expect(hooks.create({ type: 'webhook', 'configuration.url': 'https://a.example', 'configuration.retryCount': 9 })).rejects.toMatchObject({
        status: 400,
        code: 20001,
      });
      await expect(hooks(`WH${'0'.repeat(32)}`).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      await expect(channels()('missing').webhooks.list()).rejects.toMatchObject({ status: 404, code: 20404 });
    });
  });
});

function basic(stack: Stack): string {
  return `Basic ${Buffer.from(`${stack.accountSid}:${stack.authToken}`).toString('base64')}`;
}
