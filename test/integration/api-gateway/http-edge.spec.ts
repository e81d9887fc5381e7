import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import twilio from 'twilio';
import type RequestClientNS from 'twilio/lib/base/RequestClient';
import { loadConfig } from '@parley/config';
import {
  Errors,
  newSid,
  twilioDate,
  type CommandInput,
  type CommandSubject,
  type ServiceResource,
} from '@parley/contracts';
import { currentCorrelationId, NatsTransport } from '@parley/nats';
import { serviceResourceFixture } from '@parley/testing';
import { AppModule } from '../../../apps/api-gateway/src/app.module';
import { apiGatewayConfigSchema } from '../../../apps/api-gateway/src/config/api-gateway.config';
import { configureHttp, HTTP_NEST_OPTIONS } from '../../../apps/api-gateway/src/http/http-edge';

/*
 * The api-gateway in-process on a random port, against the machine's NATS under a subject prefix of its own.
 * The message side is a real NATS peer of this file serving canned resources, so the edge is exercised over
 * the real transport: auth, form parsing, validation, errors, paging and the official twilio helper.
 */

// Three labels on purpose: twilio-node's getHostname() rewrites a two-label host ('parley.test' becomes
// 'parley.test.parley.test') before its httpClient sees the URL.
const PUBLIC_URL = 'http://api.parley.test:8080';
const PREFIX = `it_gw_${randomBytes(6).toString('hex')}`;

interface Account {
  accountSid: string;
  username: string;
  password: string;
}

const accounts = new Map<string, Account>();
function newAccount(via: 'auth_token' | 'api_key' = 'auth_token'): Account {
  const accountSid = newSid('AC');
  const account = { accountSid, username: via === 'api_key' ? newSid('SK') : accountSid, password: randomBytes(16).toString('hex') };
  accounts.set(account.username, account);
  return account;
}

/** What the fake message side received, per subject, in order. */
const received = new Map<CommandSubject, { input: unknown; correlationId: string | undefined }[]>();
const receivedOf = <S extends CommandSubject>(subject: S) =>
  (received.get(subject) ?? []) as { input: CommandInput<S>; correlationId: string | undefined }[];
function record(subject: CommandSubject, input: unknown): void {
  received.set(subject, [...(received.get(subject) ?? []), { input, correlationId: currentCorrelationId() }]);
}

const services: ServiceResource[] = [];

function cannedService(accountSid: string, friendlyName: string): ServiceResource {
  const now = twilioDate(new Date());
  return serviceResourceFixture({
    sid: newSid('IS'),
    account_sid: accountSid,
    friendly_name: friendlyName,
    date_created: now,
    date_updated: now,
    default_service_role_sid: newSid('RL'),
    default_channel_role_sid: newSid('RL'),
    default_channel_creator_role_sid: newSid('RL'),
    limits: { channel_members: 250, user_channels: 100 },
  });
}

function findService(accountSid: string, sid: string): ServiceResource {
  const service = services.find((s) => s.sid === sid && s.account_sid === accountSid);
  if (!service) throw Errors.notFound(`/Services/${sid}`);
  return service;
}

function serveMessageSide(peer: NatsTransport): void {
  const queue = 'message-service';
  peer.serve('chat.v1.cmd.account.authenticate', queue, async (input) => {
    record('chat.v1.cmd.account.authenticate', input);
    const account = accounts.get(input.username);
    if (!account || account.password !== input.password) throw Errors.authenticate();
    return { accountSid: account.accountSid, via: input.username.startsWith('SK') ? 'api_key' : 'auth_token' };
  });
  peer.serve('chat.v1.cmd.service.create', queue, async (input) => {
    record('chat.v1.cmd.service.create', input);
    const service = cannedService(input.caller.accountSid, input.params.FriendlyName);
    services.push(service);
    return service;
  });
  peer.serve('chat.v1.cmd.service.fetch', queue, async (input) => {
    record('chat.v1.cmd.service.fetch', input);
    return findService(input.caller.accountSid, input.params.Sid);
  });
  peer.serve('chat.v1.cmd.service.update', queue, async (input) => {
    record('chat.v1.cmd.service.update', input);
    const service = findService(input.caller.accountSid, input.params.Sid);
    const p = input.params;
    Object.assign(service, {
      friendly_name: p.FriendlyName ?? service.friendly_name,
      reachability_enabled: p.ReachabilityEnabled ?? service.reachability_enabled,
      webhook_filters: p.WebhookFilters ?? service.webhook_filters,
      limits: { ...service.limits, channel_members: p['Limits.ChannelMembers'] ?? service.limits.channel_members },
    });
    return service;
  });
  peer.serve('chat.v1.cmd.service.delete', queue, async (input) => {
    record('chat.v1.cmd.service.delete', input);
    const service = findService(input.caller.accountSid, input.params.Sid);
    services.splice(services.indexOf(service), 1);
    return {};
  });
  // Token = offset of the page's first item: opaque to the edge, enough to page through a canned list.
  peer.serve('chat.v1.cmd.service.list', queue, async (input) => {
    record('chat.v1.cmd.service.list', input);
    const mine = services.filter((s) => s.account_sid === input.caller.accountSid);
    const size = input.params.PageSize ?? 50;
    const offset = Number(input.params.PageToken ?? 0);
    return {
      items: mine.slice(offset, offset + size),
      pageSize: size,
      nextPageToken: offset + size < mine.length ? String(offset + size) : null,
      previousPageToken: offset > 0 ? String(Math.max(offset - size, 0)) : null,
    };
  });
}

let app: INestApplication;
let peer: NatsTransport;
let base: string;

beforeAll(async () => {
  const config = loadConfig(apiGatewayConfigSchema, {
    NATS_URL: process.env.NATS_URL,
    NATS_SUBJECT_PREFIX: PREFIX,
    LOG_LEVEL: 'silent',
    PARLEY_PUBLIC_URL: `${PUBLIC_URL}/`,
  });
  peer = new NatsTransport({ servers: config.NATS_URL, subjectPrefix: PREFIX, name: 'it-message-side', logger: pino({ level: 'silent' }) });
  await peer.connect();
  serveMessageSide(peer);

  app = await NestFactory.create(AppModule.forRoot(config, 'it-api-gateway'), { ...HTTP_NEST_OPTIONS, logger: false });
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app?.close();
  await peer?.drain();
});

interface CallOptions {
  as?: Account | null;
  form?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: BodyInit;
}

async function call(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.as) headers.authorization = `Basic ${Buffer.from(`${opts.as.username}:${opts.as.password}`).toString('base64')}`;
  let body = opts.body;
  if (opts.form) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(opts.form)) for (const v of [value].flat()) search.append(key, v);
    body = search.toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  const isJson = res.headers.get('content-type')?.startsWith('application/json') ?? false;
  return { status: res.status, headers: res.headers, text, json: isJson ? (JSON.parse(text) as Record<string, any>) : undefined };
}

const twilioError = (code: number, status: number, message: string) => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', {}],
    ['another scheme', { authorization: 'Bearer abc' }],
    ['a user that is not an AC or SK sid', { authorization: `Basic ${Buffer.from('someone:secret').toString('base64')}` }],
    ['no colon', { authorization: `Basic ${Buffer.from(newSid('AC')).toString('base64')}` }],
  ])('answers 401 20003 with WWW-Authenticate for %s', async (_case, headers) => {
    const res = await call('GET', '/v2/Services', { headers });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(twilioError(20003, 401, 'Authenticate'));
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="Parley"');
  });

  it('answers 401 for a wrong password, as message-service decides', async () => {
    const account = newAccount();
    const res = await call('GET', '/v2/Services', { as: { ...account, password: 'wrong' } });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(twilioError(20003, 401, 'Authenticate'));
  });

  it('authenticates an unknown route before answering 404', async () => {
    expect((await call('GET', '/v2/Nope')).status).toBe(401);
    expect((await call('GET', '/2010-04-01/Accounts')).status).toBe(401);
  });

  it('verifies a credential once over NATS, then serves it from the cache (concurrent first requests included)', async () => {
    const key = newAccount('api_key');
    const before = receivedOf('chat.v1.cmd.account.authenticate').filter((r) => r.input.username === key.username).length;
    const results = await Promise.all(Array.from({ length: 5 }, () => call('GET', '/v2/Services', { as: key })));
    results.push(await call('GET', '/v2/Services', { as: key }));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const after = receivedOf('chat.v1.cmd.account.authenticate').filter((r) => r.input.username === key.username).length;
    expect(after - before).toBe(1);
    // The API key's requests act for its account.
    expect(receivedOf('chat.v1.cmd.service.list').at(-1)?.input.caller.accountSid).toBe(key.accountSid);
  });

  it('leaves health and metrics open', async () => {
    expect((await call('GET', '/health/live')).status).toBe(200);
    expect((await call('GET', '/health/ready')).status).toBe(200);
    expect((await call('GET', '/metrics')).status).toBe(200);
  });
});

describe('Services', () => {
  it('creates a service: 201, caller envelope and correlation id, absolute url and links', async () => {
    const account = newAccount();
    const requestId = `it-${randomBytes(8).toString('hex')}`;
    const res = await call('POST', '/v2/Services', { as: account, form: { FriendlyName: 'My service' }, headers: { 'x-request-id': requestId } });

    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const sid = res.json?.sid as string;
    expect(sid).toMatch(/^IS[0-9a-f]{32}$/);
    expect(res.json).toMatchObject({
      account_sid: account.accountSid,
      friendly_name: 'My service',
      url: `${PUBLIC_URL}/v2/Services/${sid}`,
      links: {
        channels: `${PUBLIC_URL}/v2/Services/${sid}/Channels`,
        users: `${PUBLIC_URL}/v2/Services/${sid}/Users`,
        roles: `${PUBLIC_URL}/v2/Services/${sid}/Roles`,
        bindings: `${PUBLIC_URL}/v2/Services/${sid}/Bindings`,
      },
    });
    const sent = receivedOf('chat.v1.cmd.service.create').at(-1);
    expect(sent?.input).toEqual({
      caller: { accountSid: account.accountSid, actor: { kind: 'system' }, requestId },
      params: { FriendlyName: 'My service' },
    });
    expect(sent?.correlationId).toBe(requestId);
  });

  it('answers 400 naming a missing FriendlyName, without sending the command', async () => {
    const account = newAccount();
    const before = receivedOf('chat.v1.cmd.service.create').length;
    const res = await call('POST', '/v2/Services', { as: account, form: { Other: 'x' } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual(twilioError(20001, 400, 'Missing required parameter FriendlyName in the post body'));
    expect(receivedOf('chat.v1.cmd.service.create').length).toBe(before);
  });

  it('keeps dotted form keys flat and turns repeated keys into arrays', async () => {
    const account = newAccount();
    const sid = (await call('POST', '/v2/Services', { as: account, form: { FriendlyName: 's' } })).json?.sid as string;

    const res = await call('POST', `/v2/Services/${sid}`, {
      as: account,
      body:
        'Limits.ChannelMembers=10&Notifications.NewMessage.Enabled=true&WebhookFilters=onMessageSend' +
        '&WebhookFilters=onChannelAdd&ReachabilityEnabled=true&FriendlyName=a+b%20%C3%A9&Sid=ISignored',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });

    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ sid, friendly_name: 'a b é', reachability_enabled: true, limits: { channel_members: 10 } });
    const params = receivedOf('chat.v1.cmd.service.update').at(-1)?.input.params as Record<string, unknown>;
    expect(params).toEqual({
      Sid: sid,
      FriendlyName: 'a b é',
      ReachabilityEnabled: true,
      'Limits.ChannelMembers': 10,
      'Notifications.NewMessage.Enabled': true,
      WebhookFilters: ['onMessageSend', 'onChannelAdd'],
    });
    expect(params).not.toHaveProperty('Limits');
  });

  it('names an invalid dotted parameter by its flat name', async () => {
    const account = newAccount();
    const res = await call('POST', `/v2/Services/${newSid('IS')}`, { as: account, form: { 'Limits.ChannelMembers': 'many' } });
    expect(res.status).toBe(400);
    expect(res.json?.code).toBe(20001);
    expect(res.json?.message).toMatch(/^Invalid parameter: Limits\.ChannelMembers/);
  });

  it('fetches, and passes message-service errors through unchanged', async () => {
    const account = newAccount();
    const sid = (await call('POST', '/v2/Services', { as: account, form: { FriendlyName: 'f' } })).json?.sid as string;
    const fetched = await call('GET', `/v2/Services/${sid}`, { as: account });
    expect(fetched.status).toBe(200);
    expect(fetched.json).toMatchObject({ sid, url: `${PUBLIC_URL}/v2/Services/${sid}` });

    // Another account's service is not found, exactly as an unknown one.
    const other = await call('GET', `/v2/Services/${sid}`, { as: newAccount() });
    expect(other.status).toBe(404);
    expect(other.json).toEqual(twilioError(20404, 404, `The requested resource /Services/${sid} was not found`));
  });

  it('deletes with 204 and an empty body', async () => {
    const account = newAccount();
    const sid = (await call('POST', '/v2/Services', { as: account, form: { FriendlyName: 'd' } })).json?.sid as string;
    const res = await call('DELETE', `/v2/Services/${sid}`, { as: account });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await call('GET', `/v2/Services/${sid}`, { as: account })).status).toBe(404);
  });

  it('lists with Twilio meta: absolute URLs carrying PageSize, Page, PageToken and the other filters', async () => {
    const account = newAccount();
    for (const name of ['a', 'b', 'c']) await call('POST', '/v2/Services', { as: account, form: { FriendlyName: name } });

    const first = await call('GET', '/v2/Services?PageSize=2&Tag=x&Tag=y%20z', { as: account });
    expect(first.status).toBe(200);
    expect(first.json?.services.map((s: ServiceResource) => s.friendly_name)).toEqual(['a', 'b']);
    expect(first.json?.services[0].url).toBe(`${PUBLIC_URL}/v2/Services/${first.json?.services[0].sid}`);
    const list = `${PUBLIC_URL}/v2/Services`;
    expect(first.json?.meta).toEqual({
      page: 0,
      page_size: 2,
      first_page_url: `${list}?Tag=x&Tag=y+z&PageSize=2&Page=0`,
      previous_page_url: null,
      url: `${list}?Tag=x&Tag=y+z&PageSize=2&Page=0`,
      next_page_url: `${list}?Tag=x&Tag=y+z&PageSize=2&Page=1&PageToken=2`,
      key: 'services',
    });

    // A client follows next_page_url verbatim (only the host differs in this test).
    const next = new URL(first.json?.meta.next_page_url as string);
    const second = await call('GET', `${next.pathname}${next.search}`, { as: account });
    expect(second.json?.services.map((s: ServiceResource) => s.friendly_name)).toEqual(['c']);
    expect(second.json?.meta).toMatchObject({
      page: 1,
      url: `${list}?Tag=x&Tag=y+z&PageSize=2&Page=1&PageToken=2`,
      previous_page_url: `${list}?Tag=x&Tag=y+z&PageSize=2&Page=0&PageToken=0`,
      next_page_url: null,
    });
  });

  it('defaults PageSize to 50, lowers it to the maximum of 100, and refuses a non-positive one', async () => {
    const account = newAccount();
    expect((await call('GET', '/v2/Services', { as: account })).json?.meta.page_size).toBe(50);
    expect((await call('GET', '/v2/Services?PageSize=5000', { as: account })).json?.meta.page_size).toBe(100);
    expect(receivedOf('chat.v1.cmd.service.list').at(-1)?.input.params.PageSize).toBe(100);
    const zero = await call('GET', '/v2/Services?PageSize=0', { as: account });
    expect(zero.status).toBe(400);
    expect(zero.json?.message).toMatch(/^Invalid parameter: PageSize/);
  });
});

describe('errors at the edge', () => {
  it('answers 404 20404 for an unknown route', async () => {
    const res = await call('GET', '/v2/Nope/IS123', { as: newAccount() });
    expect(res.status).toBe(404);
    expect(res.json).toEqual(twilioError(20404, 404, 'The requested resource /Nope/IS123 was not found'));
    expect((await call('GET', '/nope')).json).toEqual(twilioError(20404, 404, 'The requested resource /nope was not found'));
  });

  it.each(['GET', 'POST', 'DELETE'])('answers 404, not 400, to %s of a malformed sid, without sending a command', async (method) => {
    const serviceCommands = () => [...received.keys()].filter((s) => s.startsWith('chat.v1.cmd.service.')).reduce((n, s) => n + receivedOf(s).length, 0);
    const before = serviceCommands();
    const res = await call(method, '/v2/Services/nope', { as: newAccount(), ...(method === 'POST' && { form: { FriendlyName: 'x' } }) });
    expect(res.status).toBe(404);
    expect(res.json).toEqual(twilioError(20404, 404, 'The requested resource /Services/nope was not found'));
    expect(serviceCommands()).toBe(before);
  });

  it('answers 400 to a path that does not percent-decode', async () => {
    const res = await call('GET', '/v2/Services/%E0', { as: newAccount() });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 20001, status: 400 });
  });

  it.each([
    ['a JSON body', { 'content-type': 'application/json' }, JSON.stringify({ FriendlyName: 'x' })],
    ['a body without a content type', {}, new TextEncoder().encode('FriendlyName=x')],
    ['a body that does not inflate', { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, 'FriendlyName=x'],
    ['an unsupported charset', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16' }, 'FriendlyName=x'],
  ])('answers 400 to %s', async (_case, headers: Record<string, string>, body) => {
    const res = await call('POST', '/v2/Services', { as: newAccount(), headers, body });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 20001, status: 400, more_info: 'https://www.twilio.com/docs/errors/20001' });
  });

  it('accepts a gzip-compressed form', async () => {
    const res = await call('POST', '/v2/Services', {
      as: newAccount(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' },
      body: new Uint8Array(gzipSync('FriendlyName=zipped')),
    });
    expect(res.status).toBe(201);
    expect(res.json?.friendly_name).toBe('zipped');
  });

  it('answers 413 to an oversize body, and still takes a 32 KiB message body of multi-byte text', async () => {
    const account = newAccount();
    const big = await call('POST', '/v2/Services', { as: account, form: { FriendlyName: 'x'.repeat(300 * 1024) } });
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ status: 413, more_info: expect.stringMatching(/^https:\/\/www\.twilio\.com\/docs\/errors\//) });

    // 32 KiB of 3-byte characters is 96 KiB once percent-encoded: parsed, then refused by the contract (max 256).
    const wide = await call('POST', '/v2/Services', { as: account, form: { FriendlyName: '€'.repeat(Math.floor((32 * 1024) / 3)) } });
    expect(wide.status).toBe(400);
    expect(wide.json?.message).toMatch(/^Invalid parameter: FriendlyName/);
  });

  it('counts requests under the route pattern, never the raw path', async () => {
    const account = newAccount();
    const sid = (await call('POST', '/v2/Services', { as: account, form: { FriendlyName: 'm' } })).json?.sid as string;
    await call('GET', `/v2/Services/${sid}`, { as: account });
    const metrics = (await call('GET', '/metrics')).text;
    expect(metrics).toMatch(/parley_http_requests_total\{[^}]*route="\/v2\/Services\/:sid"[^}]*status="200"/);
    expect(metrics).not.toContain(sid);
  });
});

/** twilio-node pointed at the gateway, as access-token.md §2 shows: keep the path and query, change the host. */
class RedirectingRequestClient extends twilio.RequestClient {
  constructor(private readonly target: string) {
    super({ keepAlive: false });
  }

  override request<TData>(opts: RequestClientNS.RequestOptions<TData>) {
    const url = new URL(opts.uri);
    if (/\.twilio\.com$/.test(url.hostname) || url.origin === new URL(PUBLIC_URL).origin) {
      const target = new URL(this.target);
      url.protocol = target.protocol;
      url.host = target.host;
    }
    return super.request<TData>({ ...opts, uri: url.toString() });
  }
}

describe('the official twilio helper', () => {
  it('creates, updates, pages through, fetches and removes services', async () => {
    const key = newAccount('api_key');
    const client = twilio(key.username, key.password, { accountSid: key.accountSid, httpClient: new RedirectingRequestClient(base) });
    const services = client.chat.v2.services;

    const created = await services.create({ friendlyName: 'helper' });
    expect(created.sid).toMatch(/^IS/);
    expect(created.url).toBe(`${PUBLIC_URL}/v2/Services/${created.sid}`);
    for (const name of ['h2', 'h3', 'h4']) await services.create({ friendlyName: name });

    const updated = await services(created.sid).update({
      friendlyName: 'renamed',
      'limits.channelMembers': 10,
      'notifications.newMessage.enabled': true,
      webhookFilters: ['onMessageSend', 'onChannelAdd'],
    });
    expect(updated.friendlyName).toBe('renamed');
    expect(updated.limits).toEqual({ channel_members: 10, user_channels: 100 });
    expect(updated.webhookFilters).toEqual(['onMessageSend', 'onChannelAdd']);

    // pageSize 3 over 4 services: the helper follows next_page_url to the second page.
    const listed = await services.list({ pageSize: 3 });
    expect(listed.map((s) => s.friendlyName)).toEqual(['renamed', 'h2', 'h3', 'h4']);

    expect((await services(created.sid).fetch()).friendlyName).toBe('renamed');
    expect(await services(created.sid).remove()).toBe(true);
    await expect(services(created.sid).fetch()).rejects.toMatchObject({
      status: 404,
      code: 20404,
      moreInfo: 'https://www.twilio.com/docs/errors/20404',
    });
  });
});
