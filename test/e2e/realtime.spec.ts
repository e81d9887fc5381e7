import { Client, SDKError, type Message } from '@parley/client';
import { io as connectSocket } from 'socket.io-client';
import { chatFixture, startStack, startTcpBalancer, waitFor, type ChatFixture, type ServiceProcess, type Stack, type TcpBalancer } from '@parley/testing';

/**
 * The realtime path end to end: two realtime-gateway processes behind a TCP balancer, SDK clients spread
 * over both, the REST API driven with the official helper. Every event must arrive exactly once, in order.
 */
describe('realtime: SDK clients across two gateways', () => {
  let stack: Stack;
  let chat: ChatFixture;
  let gatewayA: ServiceProcess;
  let gatewayB: ServiceProcess;
  const clients: Client[] = [];

  beforeAll(async () => {
    stack = await startStack({ label: 'realtime', apps: ['message-service', 'api-gateway', 'realtime-gateway'] });
    gatewayA = stack.get('realtime-gateway');
    gatewayB = await stack.add('realtime-gateway');
    chat = await chatFixture(stack);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.shutdown().catch(() => undefined)));
    await stack?.stop();
  });

  async function connect(identity: string, gateway: { url: string }, token = chat.token(identity)): Promise<Client> {
    const client = await Client.create(token, { url: gateway.url, commandTimeout: 5_000 });
    clients.push(client);
    return client;
  }

  /** Collects `messageAdded` of one channel as `index:body`, to compare order and count. */
  function collect(client: Client, channelSid: string): string[] {
    const seen: string[] = [];
    client.on('messageAdded', (message: Message) => {
      if (message.channel.sid === channelSid) seen.push(`${message.index}:${message.body}`);
    });
    return seen;
  }

  async function channelWith(members: string[], name: string) {
    const channel = await chat.rest.chat.v2.services(chat.serviceSid).channels.create({ friendlyName: name, uniqueName: name });
    for (const identity of members) {
      await chat.rest.chat.v2.services(chat.serviceSid).channels(channel.sid).members.create({ identity });
    }
    return channel;
  }

  it('delivers SDK and REST messages to members on both gateways exactly once, in index order', async () => {
    const channel = await channelWith(['alice', 'bob', 'carol'], 'general');
    const alice = await connect('alice', gatewayA);
    const bob = await connect('bob', gatewayB);
    const carol = await connect('carol', gatewayA);
    const received = { alice: collect(alice, channel.sid), bob: collect(bob, channel.sid), carol: collect(carol, channel.sid) };

    const sdkChannel = await alice.getChannelBySid(channel.sid);
    const expected: string[] = [];
    for (let i = 0; i < 20; i++) {
      const index = await sdkChannel.sendMessage(`hello ${i}`);
      expected.push(`${index}:hello ${i}`);
    }
    const restMessage = await chat.rest.chat.v2.services(chat.serviceSid).channels(channel.sid).messages.create({ body: 'from REST', from: 'system' });
    expected.push(`${restMessage.index}:from REST`);

    for (const [who, seen] of Object.entries(received)) {
      await waitFor(() => seen.length >= expected.length, { timeoutMs: 10_000, description: `${who} to receive ${expected.length} messages` });
    }
    for (const seen of Object.values(received)) expect(seen).toEqual(expected);
  });

  it('moves a member’s sockets into the channel room on every replica when added through REST', async () => {
    const dave = await connect('dave', gatewayB);
    const joined: string[] = [];
    dave.on('channelJoined', (c) => joined.push(c.sid));
    const channel = await channelWith([], 'late-join');
    const seen = collect(dave, channel.sid);
    await chat.rest.chat.v2.services(chat.serviceSid).channels(channel.sid).members.create({ identity: 'dave' });
    await waitFor(() => joined.includes(channel.sid), { description: 'channelJoined for dave' });
    const message = await chat.rest.chat.v2.services(chat.serviceSid).channels(channel.sid).messages.create({ body: 'welcome' });
    await waitFor(() => seen.length === 1, { description: 'dave to receive the message' });
    expect(seen).toEqual([`${message.index}:welcome`]);
  });

  it('returns the original message for a retried send with the same idempotency key', async () => {
    const channel = await channelWith(['erin'], 'idempotent');
    const socket = connectSocket(gatewayA.url, { transports: ['websocket'], auth: { token: chat.token('erin') }, reconnection: false });
    try {
      await new Promise<void>((resolve) => socket.once('session', () => resolve()));
      const send = () =>
        new Promise<{ ok: boolean; data: { sid: string; index: number } }>((resolve) =>
          socket.emit('message.send', { channel: channel.sid, body: 'once', idempotencyKey: 'retry-key-0001' }, resolve),
        );
      const [first, second] = await Promise.all([send(), send()]);
      const third = await send();
      expect(first.ok && second.ok && third.ok).toBe(true);
      expect(second.data).toMatchObject({ sid: first.data.sid, index: first.data.index });
      expect(third.data).toMatchObject({ sid: first.data.sid, index: first.data.index });
      const stored = await chat.rest.chat.v2.services(chat.serviceSid).channels(channel.sid).messages.list();
      expect(stored.filter((m) => m.body === 'once')).toHaveLength(1);
    } finally {
      socket.disconnect();
    }
  });

  it('answers bad input on the socket with error acks and keeps serving', async () => {
    const channel = await channelWith(['frank'], 'bad-input');
    const socket = connectSocket(gatewayB.url, { transports: ['websocket'], auth: { token: chat.token('frank') }, reconnection: false });
    try {
      await new Promise<void>((resolve) => socket.once('session', () => resolve()));
      const ask = (event: string, payload: unknown) =>
        new Promise<{ ok: boolean; error?: { code: number; status: number } }>((resolve) => socket.emit(event, payload, resolve));
      expect(await ask('no.such.command', {})).toMatchObject({ ok: false, error: { status: 400 } });
      expect(await ask('message.send', { channel: channel.sid, body: 42 })).toMatchObject({ ok: false, error: { code: 20001, status: 400 } });
      expect(await ask('message.send', { channel: channel.sid, body: 'x'.repeat(33_000), idempotencyKey: 'too-long-00001' })).toMatchObject({
        ok: false,
        error: { code: 50504 },
      });
      const ok = await ask('message.send', { channel: channel.sid, body: 'still here', idempotencyKey: 'fine-key-00001' });
      expect(ok.ok).toBe(true);
    } finally {
      socket.disconnect();
    }
  });

  it('rejects bad Access Tokens in the handshake with Twilio codes', async () => {
    const cases: [string, string, number][] = [
      ['garbage', 'not-a-token', 20101],
      ['expired', chat.token('gina', { ttl: -10 }), 20104],
      ['not yet valid', chat.token('gina', { nbf: Math.floor(Date.now() / 1000) + 600 }), 20105],
      ['over 24 h', chat.token('gina', { ttl: 25 * 3600 }), 20104],
    ];
    for (const [name, token, code] of cases) {
      const error = await Client.create(token, { url: gatewayA.url, initTimeout: 5_000 }).then(
        () => null,
        (err: unknown) => err,
      );
      expect({ name, error }).toMatchObject({ name, error: expect.any(SDKError) });
      expect({ name, code: (error as SDKError).code }).toEqual({ name, code });
    }
  });

  it('delivers every kind of event once, across replicas, including changes made through REST', async () => {
    const owner = await connect('olive', gatewayA);
    const peer = await connect('pete', gatewayB);
    const log: Record<'olive' | 'pete', string[]> = { olive: [], pete: [] };
    for (const [who, client] of [['olive', owner], ['pete', peer]] as const) {
      const record = (name: string) => (...args: unknown[]) => {
        const first = args[0] as { sid?: string; index?: number; identity?: string; channel?: { sid: string }; message?: { index: number }; member?: { identity: string }; user?: { identity: string } };
        // A Message (index), a Member or User (identity), a Channel (sid), or an {object, updateReasons} pair.
        const detail = first?.message?.index ?? first?.index ?? first?.member?.identity ?? first?.user?.identity ?? first?.identity ?? first?.channel?.sid ?? first?.sid ?? '';
        log[who].push(`${name}:${String(detail)}`);
      };
      for (const name of ['channelJoined', 'channelLeft', 'channelInvited', 'channelUpdated', 'channelRemoved', 'memberJoined', 'memberLeft', 'memberUpdated', 'messageUpdated', 'messageRemoved', 'typingStarted', 'typingEnded', 'userUpdated'] as const) {
        client.on(name, record(name) as never);
      }
    }
    // SDK: olive creates a channel, joins (channel admin as creator) and adds pete.
    const created = await owner.createChannel({ friendlyName: 'events', uniqueName: 'events' });
    await created.join();
    await created.add('pete');
    await waitFor(() => log.pete.includes(`channelJoined:${created.sid}`), { description: 'pete joined' });
    const petesChannel = await peer.getChannelBySid(created.sid);

    // Message edits and removal, typing, consumption, channel and user updates.
    const index = await created.sendMessage('draft');
    const messages = await created.getMessages(10);
    const mine = messages.items.find((m) => m.index === index)!;
    await mine.updateBody('final');
    await petesChannel.typing();
    await created.updateFriendlyName('renamed');
    await petesChannel.updateLastConsumedMessageIndex(index);
    await chat.rest.chat.v2.services(chat.serviceSid).users('olive').update({ friendlyName: 'Olive' });
    await owner.getUser('pete');
    await peer.user.updateFriendlyName('Pete');
    await mine.remove();

    await waitFor(() => log.pete.includes(`messageUpdated:${index}`) && log.pete.includes(`messageRemoved:${index}`), { description: 'message events at pete' });
    await waitFor(() => log.olive.includes('typingStarted:pete'), { description: 'typingStarted at olive' });
    await waitFor(() => log.olive.includes('typingEnded:pete'), { timeoutMs: 15_000, description: 'typingEnded at olive' });
    await waitFor(() => log.pete.some((e) => e === `channelUpdated:${created.sid}`), { description: 'channelUpdated at pete' });
    await waitFor(() => log.olive.includes('memberUpdated:pete'), { description: 'memberUpdated (consumption) at olive' });
    await waitFor(() => log.olive.includes('userUpdated:pete'), { description: 'userUpdated of a subscribed user' });

    // REST-side membership changes reach the SDK too: pete removed, then invited again, then the channel deleted.
    await chat.rest.chat.v2.services(chat.serviceSid).channels(created.sid).members('pete').remove();
    await waitFor(() => log.pete.includes(`channelLeft:${created.sid}`) && log.olive.includes('memberLeft:pete'), { description: 'leave events' });
    await chat.rest.chat.v2.services(chat.serviceSid).channels(created.sid).invites.create({ identity: 'pete' });
    await waitFor(() => log.pete.some((e) => e.startsWith('channelInvited')), { description: 'channelInvited at pete' });
    await chat.rest.chat.v2.services(chat.serviceSid).channels(created.sid).remove();
    await waitFor(() => log.olive.includes(`channelRemoved:${created.sid}`), { description: 'channelRemoved at olive' });

    // Exactly once: no event recorded twice for the same subject at either client.
    for (const who of ['olive', 'pete'] as const) {
      const once = ['messageUpdated', 'messageRemoved', 'channelRemoved', 'channelLeft', 'memberLeft'].flatMap((name) => log[who].filter((e) => e.startsWith(`${name}:`)));
      expect({ who, duplicates: once.filter((e, i) => once.indexOf(e) !== i) }).toEqual({ who, duplicates: [] });
    }
  });

  it('keeps a private channel invisible to non-members and enforces the default roles', async () => {
    const owner = await connect('quinn', gatewayA);
    const outsider = await connect('rita', gatewayB);
    const secret = await owner.createChannel({ friendlyName: 'secret', uniqueName: 'secret-room', isPrivate: true });
    await secret.join();
    await expect(outsider.getChannelBySid(secret.sid)).rejects.toMatchObject({ status: 404 });
    await expect(outsider.getChannelByUniqueName('secret-room')).rejects.toMatchObject({ status: 404 });
    const publicList = await outsider.getPublicChannelDescriptors();
    expect(publicList.items.map((d) => d.sid)).not.toContain(secret.sid);

    // A channel user (rita, added by the channel admin) may send but not delete another member's message.
    await secret.add('rita');
    const ritasView = await waitFor(() => outsider.getChannelBySid(secret.sid).catch(() => undefined), { description: 'rita to see the channel' });
    const index = await secret.sendMessage('from quinn');
    const page = await ritasView.getMessages(10);
    const quinnsMessage = page.items.find((m) => m.index === index)!;
    await expect(quinnsMessage.remove()).rejects.toMatchObject({ code: 50107, status: 403 });
    await expect(ritasView.sendMessage('from rita')).resolves.toEqual(expect.any(Number));
    await expect(ritasView.delete()).rejects.toMatchObject({ code: 50107, status: 403 });
  });

  describe('failover', () => {
    let balancer: TcpBalancer;

    afterAll(async () => {
      await balancer?.close();
    });

    it('a client whose gateway is killed reconnects to the other and recovers what it missed, none twice', async () => {
      const channel = await channelWith(['hank'], 'failover');
      const victim = await stack.add('realtime-gateway');
      balancer = await startTcpBalancer([victim.port]);
      const hank = await connect('hank', balancer);
      const seen = collect(hank, channel.sid);
      const before = await chat.rest.chat.v2.services(chat.serviceSid).channels(channel.sid).messages.create({ body: 'before' });
      await waitFor(() => seen.length === 1, { description: 'the first message' });

      balancer.upstreams = [gatewayB.port];
      victim.child.kill('SIGKILL');
      await victim.exited;
      const missed = [];
      for (let i = 0; i < 10; i++) {
        missed.push(await chat.rest.chat.v2.services(chat.serviceSid).channels(channel.sid).messages.create({ body: `missed ${i}` }));
      }
      await waitFor(() => seen.length >= 11, { timeoutMs: 20_000, description: 'recovery of the missed messages' });
      const after = await chat.rest.chat.v2.services(chat.serviceSid).channels(channel.sid).messages.create({ body: 'after' });
      await waitFor(() => seen.length >= 12, { description: 'live delivery after failover' });
      expect(seen).toEqual([
        `${before.index}:before`,
        ...missed.map((m, i) => `${m.index}:missed ${i}`),
        `${after.index}:after`,
      ]);
    });
  });

  it('warns before a token expires, takes a fresh one, and ends the session when a token is not refreshed', async () => {
    const ivan = await connect('ivan', gatewayA, chat.token('ivan', { ttl: 6 }));
    const events: string[] = [];
    ivan.on('tokenAboutToExpire', () => events.push('aboutToExpire'));
    ivan.on('tokenExpired', () => events.push('expired'));
    await waitFor(() => events.includes('aboutToExpire'), { timeoutMs: 10_000, description: 'tokenAboutToExpire' });
    expect(events).toEqual(['aboutToExpire']);
    await ivan.updateToken(chat.token('ivan', { ttl: 6 }));
    // The refreshed token gets its own warning before anything expires: the first one did not end the session.
    await waitFor(() => events.length >= 2, { timeoutMs: 10_000, description: 'a second warning' });
    await waitFor(() => events.includes('expired'), { timeoutMs: 10_000, description: 'tokenExpired' });
    expect(events).toEqual(['aboutToExpire', 'aboutToExpire', 'expired']);
    await waitFor(() => ivan.connectionState === 'disconnected', { description: 'disconnect at expiry' });
    await expect(ivan.updateToken(chat.token('mallory'))).rejects.toBeInstanceOf(SDKError);
  });
});
