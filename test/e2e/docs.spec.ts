import { startStack, type Stack } from '@parley/testing';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { operationId?: string; tags?: string[]; parameters?: { name: string; in: string }[]; requestBody?: unknown }>>;
  components?: { securitySchemes?: Record<string, unknown> };
}

/** Every operation of Twilio's Chat v2 OpenAPI spec (twilio-oai `twilio_chat_v2.json`): method, path under /v2, id. */
const CHAT_V2_OPERATIONS: [string, string, string][] = [
  ['GET', '/Credentials', 'ListCredential'],
  ['POST', '/Credentials', 'CreateCredential'],
  ['DELETE', '/Credentials/{Sid}', 'DeleteCredential'],
  ['GET', '/Credentials/{Sid}', 'FetchCredential'],
  ['POST', '/Credentials/{Sid}', 'UpdateCredential'],
  ['GET', '/Services', 'ListService'],
  ['POST', '/Services', 'CreateService'],
  ['GET', '/Services/{ServiceSid}/Bindings', 'ListBinding'],
  ['DELETE', '/Services/{ServiceSid}/Bindings/{Sid}', 'DeleteBinding'],
  ['GET', '/Services/{ServiceSid}/Bindings/{Sid}', 'FetchBinding'],
  ['GET', '/Services/{ServiceSid}/Channels', 'ListChannel'],
  ['POST', '/Services/{ServiceSid}/Channels', 'CreateChannel'],
  ['GET', '/Services/{ServiceSid}/Channels/{ChannelSid}/Invites', 'ListInvite'],
  ['POST', '/Services/{ServiceSid}/Channels/{ChannelSid}/Invites', 'CreateInvite'],
  ['DELETE', '/Services/{ServiceSid}/Channels/{ChannelSid}/Invites/{Sid}', 'DeleteInvite'],
  ['GET', '/Services/{ServiceSid}/Channels/{ChannelSid}/Invites/{Sid}', 'FetchInvite'],
  ['GET', '/Services/{ServiceSid}/Channels/{ChannelSid}/Members', 'ListMember'],
  ['POST', '/Services/{ServiceSid}/Channels/{ChannelSid}/Members', 'CreateMember'],
  ['DELETE', '/Services/{ServiceSid}/Channels/{ChannelSid}/Members/{Sid}', 'DeleteMember'],
  ['GET', '/Services/{ServiceSid}/Channels/{ChannelSid}/Members/{Sid}', 'FetchMember'],
  ['POST', '/Services/{ServiceSid}/Channels/{ChannelSid}/Members/{Sid}', 'UpdateMember'],
  ['GET', '/Services/{ServiceSid}/Channels/{ChannelSid}/Messages', 'ListMessage'],
  ['POST', '/Services/{ServiceSid}/Channels/{ChannelSid}/Messages', 'CreateMessage'],
  ['DELETE', '/Services/{ServiceSid}/Channels/{ChannelSid}/Messages/{Sid}', 'DeleteMessage'],
  ['GET', '/Services/{ServiceSid}/Channels/{ChannelSid}/Messages/{Sid}', 'FetchMessage'],
  ['POST', '/Services/{ServiceSid}/Channels/{ChannelSid}/Messages/{Sid}', 'UpdateMessage'],
  ['GET', '/Services/{ServiceSid}/Channels/{ChannelSid}/Webhooks', 'ListChannelWebhook'],
  ['POST', '/Services/{ServiceSid}/Channels/{ChannelSid}/Webhooks', 'CreateChannelWebhook'],
  ['DELETE', '/Services/{ServiceSid}/Channels/{ChannelSid}/Webhooks/{Sid}', 'DeleteChannelWebhook'],
  ['GET', '/Services/{ServiceSid}/Channels/{ChannelSid}/Webhooks/{Sid}', 'FetchChannelWebhook'],
  ['POST', '/Services/{ServiceSid}/Channels/{ChannelSid}/Webhooks/{Sid}', 'UpdateChannelWebhook'],
  ['DELETE', '/Services/{ServiceSid}/Channels/{Sid}', 'DeleteChannel'],
  ['GET', '/Services/{ServiceSid}/Channels/{Sid}', 'FetchChannel'],
  ['POST', '/Services/{ServiceSid}/Channels/{Sid}', 'UpdateChannel'],
  ['GET', '/Services/{ServiceSid}/Roles', 'ListRole'],
  ['POST', '/Services/{ServiceSid}/Roles', 'CreateRole'],
  ['DELETE', '/Services/{ServiceSid}/Roles/{Sid}', 'DeleteRole'],
  ['GET', '/Services/{ServiceSid}/Roles/{Sid}', 'FetchRole'],
  ['POST', '/Services/{ServiceSid}/Roles/{Sid}', 'UpdateRole'],
  ['GET', '/Services/{ServiceSid}/Users', 'ListUser'],
  ['POST', '/Services/{ServiceSid}/Users', 'CreateUser'],
  ['DELETE', '/Services/{ServiceSid}/Users/{Sid}', 'DeleteUser'],
  ['GET', '/Services/{ServiceSid}/Users/{Sid}', 'FetchUser'],
  ['POST', '/Services/{ServiceSid}/Users/{Sid}', 'UpdateUser'],
  ['GET', '/Services/{ServiceSid}/Users/{UserSid}/Bindings', 'ListUserBinding'],
  ['DELETE', '/Services/{ServiceSid}/Users/{UserSid}/Bindings/{Sid}', 'DeleteUserBinding'],
  ['GET', '/Services/{ServiceSid}/Users/{UserSid}/Bindings/{Sid}', 'FetchUserBinding'],
  ['GET', '/Services/{ServiceSid}/Users/{UserSid}/Channels', 'ListUserChannel'],
  ['DELETE', '/Services/{ServiceSid}/Users/{UserSid}/Channels/{ChannelSid}', 'DeleteUserChannel'],
  ['GET', '/Services/{ServiceSid}/Users/{UserSid}/Channels/{ChannelSid}', 'FetchUserChannel'],
  ['POST', '/Services/{ServiceSid}/Users/{UserSid}/Channels/{ChannelSid}', 'UpdateUserChannel'],
  ['DELETE', '/Services/{Sid}', 'DeleteService'],
  ['GET', '/Services/{Sid}', 'FetchService'],
  ['POST', '/Services/{Sid}', 'UpdateService'],
];

/** Parameters reduced to `{}`: Parley's parameter names may differ from Twilio's. */
const shape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

/** Parley's OpenAPI document, generated from the api-gateway's controllers and served without credentials. */
describe('OpenAPI document at /docs and /docs-json', () => {
  let stack: Stack;
  let base: string;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    stack = await startStack({ label: 'docs', apps: ['message-service', 'api-gateway'] });
    base = stack.get('api-gateway').url;
    const res = await fetch(`${base}/docs-json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApiDocument;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('serves Swagger UI at /docs without Basic auth', async () => {
    const res = await fetch(`${base}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/swagger/i);
  });

  it('is an OpenAPI 3 document with HTTP Basic security', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.values(doc.components?.securitySchemes ?? {})).toContainEqual(expect.objectContaining({ type: 'http', scheme: 'basic' }));
  });

  it.each<[string, string, string]>([
    ['/v2/Services', 'post', 'CreateService'],
    ['/v2/Services', 'get', 'ListService'],
    ['/v2/Services/{sid}', 'get', 'FetchService'],
    ['/v2/Services/{sid}', 'post', 'UpdateService'],
    ['/v2/Services/{sid}', 'delete', 'DeleteService'],
    ['/v1/Services/{chatServiceSid}/Configuration', 'get', 'FetchServiceConfiguration'],
    ['/v1/Services/{chatServiceSid}/Configuration', 'post', 'UpdateServiceConfiguration'],
    ['/2010-04-01/Accounts.json', 'post', 'CreateAccount'],
    ['/2010-04-01/Accounts.json', 'get', 'ListAccount'],
    ['/2010-04-01/Accounts/{sid}.json', 'get', 'FetchAccount'],
    ['/2010-04-01/Accounts/{sid}.json', 'post', 'UpdateAccount'],
    ['/2010-04-01/Accounts/{accountSid}/Keys.json', 'post', 'CreateNewKey'],
    ['/2010-04-01/Accounts/{accountSid}/Keys.json', 'get', 'ListKey'],
    ['/2010-04-01/Accounts/{accountSid}/Keys/{sid}.json', 'get', 'FetchKey'],
    ['/2010-04-01/Accounts/{accountSid}/Keys/{sid}.json', 'post', 'UpdateKey'],
    ['/2010-04-01/Accounts/{accountSid}/Keys/{sid}.json', 'delete', 'DeleteKey'],
  ])('documents %s %s as %s (Twilio operation id)', (path, method, operationId) => {
    expect(doc.paths[path]?.[method]).toMatchObject({ operationId });
  });

  it('documents form bodies and list filters with Twilio parameter names', () => {
    const update = doc.paths['/v2/Services/{sid}']?.post?.requestBody as { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
    const form = update.content['application/x-www-form-urlencoded']!.schema.properties;
    expect(Object.keys(form)).toEqual(expect.arrayContaining(['FriendlyName', 'ReachabilityEnabled', 'Notifications.NewMessage.Enabled', 'Limits.ChannelMembers']));
    expect(form).not.toHaveProperty('Sid');
    const listAccounts = doc.paths['/2010-04-01/Accounts.json']?.get?.parameters?.map((p) => `${p.in}:${p.name}`);
    expect(listAccounts).toEqual(expect.arrayContaining(['query:FriendlyName', 'query:Status', 'query:PageSize', 'query:PageToken']));
  });

  it('documents only Chat v2 operations that Twilio has (every /v2 route of the gateway, whoever wrote it)', () => {
    const twilio = new Set(CHAT_V2_OPERATIONS.map(([method, path]) => `${method} ${shape(`/v2${path}`)}`));
    const ours = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v2/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${shape(path)}`));
    expect(ours.filter((op) => !twilio.has(op))).toEqual([]);
  });

  it('documents every Chat v2 operation of Twilio (all 54)', () => {
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${shape(path)}`)),
    );
    const missing = CHAT_V2_OPERATIONS.filter(([method, path]) => !documented.has(`${method} ${shape(`/v2${path}`)}`)).map(([, , id]) => id);
    expect(missing).toEqual([]);
    expect(CHAT_V2_OPERATIONS).toHaveLength(54);
  });

  it('does not document the operational routes as API', () => {
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/health') || p === '/metrics')).toEqual([]);
  });
});
