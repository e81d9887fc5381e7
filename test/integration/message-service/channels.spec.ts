import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type Caller, type ChannelResource, type EventName } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import type { MessageConfig } from '../../../apps/message-service/src/config/message.config';
import { startMessageService, type MessageService, type CollectedEvent, failureCodeOf } from './harness';

/*
 * Channels over NATS against the real Postgres and NATS: addressing by sid or unique name, unique names per
 * Service, the Type filter, keyset paging, events after commit, and deleting everything under a channel.
 */

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('message-service: Channels over NATS', () => {
  let ms: MessageService;
  let config: MessageConfig;
  let pg: Client;
  let events: CollectedEvent[];

  const system = (accountSid?: string) => ms.system(accountSid);
  const send: MessageService['send'] = (subject, payload) => ms.send(subject, payload);
  const newService = async () => (await send('chat.v1.cmd.service.create', { caller: system(), params: { FriendlyName: 'channels' } })).sid;
  const create = (serviceSid: string, params: Record<string, string> = {}) =>
    send('chat.v1.cmd.channel.create', { caller: system(), params: { ServiceSid: serviceSid, ...params } });
  const fetchChannel = (serviceSid: string, key: string, caller = system()) =>
    send('chat.v1.cmd.channel.fetch', { caller, params: { ServiceSid: serviceSid, Sid: key } });
  const eventOf = (name: EventName, sid: string) =>
    waitFor(() => events.find((e) => e.name === name && (e.payload as { sid?: string }).sid === sid), { description: `${name} ${sid}` });

  async function count(table: string, channelSid: string): Promise<number> {
    const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE channel_sid = $1`, [channelSid]);
    return rows[0]?.n ?? -1;
  }

  beforeAll(async () => {
    ms = await startMessageService('chn', { poolSize: 10 });
    ({ config, pg, events } = ms);
  });

  afterAll(() => ms?.stop());

  it("creates a channel with Twilio's defaults and publishes channel.added after the commit", async () => {
    const serviceSid = await newService();
    const channel = await create(serviceSid);
    expect(channel).toEqual({
      sid: expect.stringMatching(/^CH[0-9a-f]{32}$/),
      account_sid: config.PARLEY_ACCOUNT_SID,
      service_sid: serviceSid,
      friendly_name: null,
      unique_name: null,
      attributes: '{}',
      type: 'public',
      date_created: expect.stringMatching(DATE),
      date_updated: expect.stringMatching(DATE),
      created_by: 'system',
      members_count: 0,
      messages_count: 0,
      last_message: null,
    });
    const event = await eventOf('channel.added', channel.sid);
    expect(event).toEqual({ name: 'channel.added', serviceSid, payload: channel });
  });

  it('stores backfilled dates and creator as given', async () => {
    const serviceSid = await newService();
    const channel = await create(serviceSid, {
      FriendlyName: 'old',
      DateCreated: '2015-12-16T22:18:37Z',
      DateUpdated: '2016-01-01T00:00:00.500Z',
      CreatedBy: 'archivist',
      Type: 'private',
    });
    expect(channel).toMatchObject({
      date_created: '2015-12-16T22:18:37Z',
      date_updated: '2016-01-01T00:00:00Z',
      created_by: 'archivist',
      type: 'private',
    });
  });

  it('addresses a channel by sid or unique name; unique names are per Service (50307) and never sid-shaped', async () => {
    const serviceSid = await newService();
    const otherService = await newService();
    const channel = await create(serviceSid, { UniqueName: 'lobby' });
    expect(await fetchChannel(serviceSid, 'lobby')).toEqual(channel);
    expect(await fetchChannel(serviceSid, channel.sid)).toEqual(channel);
    expect(await failureCodeOf(create(serviceSid, { UniqueName: 'lobby' }))).toEqual({ code: 50307, status: 409 });
    await expect(create(otherService, { UniqueName: 'lobby' })).resolves.toMatchObject({ unique_name: 'lobby' });
    expect(await failureCodeOf(create(serviceSid, { UniqueName: `CH${'a'.repeat(32)}` }))).toEqual({ code: 20001, status: 400 });
    expect(await failureCodeOf(fetchChannel(otherService, channel.sid))).toEqual({ code: 20404, status: 404 });
    expect(await failureCodeOf(fetchChannel(serviceSid, 'nope'))).toEqual({ code: 20404, status: 404 });
  });

  it('updates the given fields, renames and clears unique names, and publishes channel.updated', async () => {
    const serviceSid = await newService();
    const channel = await create(serviceSid, { UniqueName: 'first', FriendlyName: 'one', Attributes: '{"x":1}' });
    await create(serviceSid, { UniqueName: 'taken' });
    const update = (params: Record<string, string>) =>
      send('chat.v1.cmd.channel.update', { caller: system(), params: { ServiceSid: serviceSid, Sid: channel.sid, ...params } });
    const renamed = await update({ UniqueName: 'second', Attributes: '{"y":2}' });
    expect(renamed).toMatchObject({ unique_name: 'second', friendly_name: 'one', attributes: '{"y":2}' });
    expect(await failureCodeOf(update({ UniqueName: 'taken' }))).toEqual({ code: 50307, status: 409 });
    expect(await failureCodeOf(update({ Attributes: '[1,2]' }))).toEqual({ code: 20001, status: 400 });
    const cleared = await send('chat.v1.cmd.channel.update', { caller: system(), params: { ServiceSid: serviceSid, Sid: 'second', UniqueName: '' } });
    expect(cleared.unique_name).toBeNull();
    const event = await waitFor(() => events.find((e) => e.name === 'channel.updated' && (e.payload as ChannelResource).unique_name === 'second'));
    expect(event.payload).toEqual(renamed);
  });

  it('lists public channels by default, the Type filter (repeated) otherwise, across keyset pages', async () => {
    const serviceSid = await newService();
    const publics = await Promise.all(Array.from({ length: 5 }, () => create(serviceSid)));
    const privates = await Promise.all(Array.from({ length: 2 }, () => create(serviceSid, { Type: 'private' })));
    const all = async (params: Record<string, unknown>) => {
      const sids: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await send('chat.v1.cmd.channel.list', {
          caller: system(),
          params: { ServiceSid: serviceSid, PageSize: 2, ...params, ...(token && { PageToken: token }) },
        });
        sids.push(...page.items.map((c) => c.sid));
        token = page.nextPageToken ?? undefined;
        pages++;
      } while (token);
      return { sids, pages };
    };
    const byDefault = await all({});
    expect(byDefault.sids).toEqual(publics.map((c) => c.sid).sort());
    expect(byDefault.pages).toBe(3);
    expect((await all({ Type: 'private' })).sids).toEqual(privates.map((c) => c.sid).sort());
    expect((await all({ Type: ['public', 'private'] })).sids).toEqual([...publics, ...privates].map((c) => c.sid).sort());
    expect(await failureCodeOf(send('chat.v1.cmd.channel.list', { caller: system(), params: { ServiceSid: serviceSid, Type: 'secret' } }))).toEqual({
      code: 20001,
      status: 400,
    });
  });

  it('pages back with the previous-page token', async () => {
    const serviceSid = await newService();
    await Promise.all(Array.from({ length: 3 }, () => create(serviceSid)));
    const list = (token?: string) =>
      send('chat.v1.cmd.channel.list', { caller: system(), params: { ServiceSid: serviceSid, PageSize: 2, ...(token && { PageToken: token }) } });
    const first = await list();
    const second = await list(first.nextPageToken ?? undefined);
    expect(second.items).toHaveLength(1);
    const back = await list(second.previousPageToken ?? undefined);
    expect(back.items.map((c) => c.sid)).toEqual(first.items.map((c) => c.sid));
  });

  it('deletes a channel with its members, messages, invites and webhooks in one transaction, then publishes channel.removed', async () => {
    const serviceSid = await newService();
    const channel = await create(serviceSid, { UniqueName: 'doomed' });
    await send('chat.v1.cmd.member.create', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel.sid, Identity: 'u1' } });
    await send('chat.v1.cmd.invite.create', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel.sid, Identity: 'u2' } });
    await send('chat.v1.cmd.channel-webhook.create', {
      caller: system(),
      params: { ServiceSid: serviceSid, ChannelSid: channel.sid, Type: 'webhook', 'Configuration.Url': 'https://example.com/hook' },
    });
    await pg.query(
      `INSERT INTO messages (sid, account_sid, service_sid, channel_sid, index, body, to_sid) VALUES ($1, $2, $3, $4, 0, 'x', $4)`,
      [`IM${randomBytes(16).toString('hex')}`, config.PARLEY_ACCOUNT_SID, serviceSid, channel.sid],
    );
    await send('chat.v1.cmd.channel.delete', { caller: system(), params: { ServiceSid: serviceSid, Sid: 'doomed' } });
    for (const table of ['members', 'messages', 'invites', 'channel_webhooks']) expect({ table, n: await count(table, channel.sid) }).toEqual({ table, n: 0 });
    const removed = await eventOf('channel.removed', channel.sid);
    expect(removed.payload).toMatchObject({ sid: channel.sid, unique_name: 'doomed', members_count: 1 });
    expect(await failureCodeOf(fetchChannel(serviceSid, channel.sid))).toEqual({ code: 20404, status: 404 });
    expect(await failureCodeOf(send('chat.v1.cmd.channel.delete', { caller: system(), params: { ServiceSid: serviceSid, Sid: channel.sid } }))).toEqual({
      code: 20404,
      status: 404,
    });
  });

  it("keeps another account's and another Service's channels out of reach", async () => {
    const serviceSid = await newService();
    const channel = await create(serviceSid);
    const stranger = `AC${randomBytes(16).toString('hex')}`;
    expect(await failureCodeOf(fetchChannel(serviceSid, channel.sid, system(stranger)))).toEqual({ code: 20404, status: 404 });
    const sdk: Caller = { accountSid: config.PARLEY_ACCOUNT_SID, serviceSid: await newService(), actor: { kind: 'user', identity: 'x' }, requestId: 'r' };
    expect(await failureCodeOf(fetchChannel(serviceSid, channel.sid, sdk))).toEqual({ code: 50107, status: 403 });
  });

  describe('channel webhooks', () => {
    const hooks = async () => {
      const serviceSid = await newService();
      const channel = await create(serviceSid, { UniqueName: 'hooked' });
      const createHook = (params: Record<string, unknown>) =>
        send('chat.v1.cmd.channel-webhook.create', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: 'hooked', ...params } as never });
      return { serviceSid, channel, createHook };
    };

    it('stores each type with its configuration and defaults', async () => {
      const { serviceSid, channel, createHook } = await hooks();
      const webhook = await createHook({
        Type: 'webhook',
        'Configuration.Url': 'https://example.com/a',
        'Configuration.Filters': ['onMessageSent', 'onChannelDestroyed'],
        'Configuration.RetryCount': '2',
      });
      expect(webhook).toEqual({
        sid: expect.stringMatching(/^WH[0-9a-f]{32}$/),
        account_sid: config.PARLEY_ACCOUNT_SID,
        service_sid: serviceSid,
        channel_sid: channel.sid,
        type: 'webhook',
        configuration: { url: 'https://example.com/a', method: 'POST', filters: ['onMessageSent', 'onChannelDestroyed'], retry_count: 2 },
        date_created: expect.stringMatching(DATE),
        date_updated: expect.stringMatching(DATE),
      });
      const trigger = await createHook({
        Type: 'trigger',
        'Configuration.Url': 'https://example.com/t',
        'Configuration.Method': 'GET',
        'Configuration.Triggers': ['help', 'stop'],
      });
      expect(trigger.configuration).toEqual({ url: 'https://example.com/t', method: 'GET', triggers: ['help', 'stop'], retry_count: 0 });
      const studio = await createHook({ Type: 'studio', 'Configuration.FlowSid': `FW${'1'.repeat(32)}` });
      expect(studio.configuration).toEqual({ flow_sid: `FW${'1'.repeat(32)}`, retry_count: 0 });
    });

    it.each<[string, Record<string, unknown>]>([
      ['a webhook without a URL', { Type: 'webhook' }],
      ['a trigger without triggers', { Type: 'trigger', 'Configuration.Url': 'https://example.com/t' }],
      ['a studio hook without a flow', { Type: 'studio' }],
      ['an unknown type', { Type: 'carrier-pigeon' }],
      ['a retry count above 3', { Type: 'webhook', 'Configuration.Url': 'https://example.com/a', 'Configuration.RetryCount': '4' }],
      ['more than 5 triggers', { Type: 'trigger', 'Configuration.Url': 'https://e.com/t', 'Configuration.Triggers': ['1', '2', '3', '4', '5', '6'] }],
    ])('refuses %s with 400 20001', async (_, params) => {
      const { createHook } = await hooks();
      expect(await failureCodeOf(createHook(params))).toEqual({ code: 20001, status: 400 });
    });

    it('updates the given configuration keys, pages by 5 at most, and deletes', async () => {
      const { serviceSid, channel, createHook } = await hooks();
      const created = [];
      for (let i = 0; i < 6; i++) created.push(await createHook({ Type: 'webhook', 'Configuration.Url': `https://example.com/${i}` }));
      const first = created[0];
      if (!first) throw new Error('no webhook');
      const updated = await send('chat.v1.cmd.channel-webhook.update', {
        caller: system(),
        params: { ServiceSid: serviceSid, ChannelSid: channel.sid, Sid: first.sid, 'Configuration.Filters': 'onMessageSent' },
      });
      expect(updated.configuration).toEqual({ url: 'https://example.com/0', method: 'POST', filters: ['onMessageSent'], retry_count: 0 });
      const page = await send('chat.v1.cmd.channel-webhook.list', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel.sid } });
      expect(page.pageSize).toBe(5);
      expect(page.items).toHaveLength(5);
      const rest = await send('chat.v1.cmd.channel-webhook.list', {
        caller: system(),
        params: { ServiceSid: serviceSid, ChannelSid: channel.sid, PageToken: page.nextPageToken ?? '' },
      });
      expect([...page.items, ...rest.items].map((w) => w.sid).sort()).toEqual(created.map((w) => w.sid).sort());
      await send('chat.v1.cmd.channel-webhook.delete', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel.sid, Sid: first.sid } });
      expect(
        await failureCodeOf(send('chat.v1.cmd.channel-webhook.fetch', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel.sid, Sid: first.sid } })),
      ).toEqual({ code: 20404, status: 404 });
    });
  });
});
