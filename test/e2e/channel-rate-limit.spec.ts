import { io as connectSocket, type Socket } from 'socket.io-client';
import { chatFixture, startStack, waitFor, type ChatFixture, type Stack } from '@parley/testing';

/** Twilio's per-channel limit holds across sockets and gateway replicas (counted by message-service in the channel row). */
describe('per-channel rate limit across gateways', () => {
  let stack: Stack;
  let chat: ChatFixture;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await startStack({ label: 'chanlimit', apps: ['message-service', 'api-gateway', 'realtime-gateway'], env: { CHANNEL_ACTIONS_PER_SECOND: '5' } });
    await stack.add('realtime-gateway');
    chat = await chatFixture(stack);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await stack?.stop();
  });

  it('answers 429 (20429) once a channel is over its limit, whatever socket or replica sends, and stores nothing refused', async () => {
    const channel = await chat.rest.chat.v2.services(chat.serviceSid).channels.create({ friendlyName: 'limited' });
    await chat.rest.chat.v2.services(chat.serviceSid).channels(channel.sid).members.create({ identity: 'sam' });
    const gateways = stack.processes.filter((p) => p.app === 'realtime-gateway');
    for (const gateway of gateways) {
      const socket = connectSocket(gateway.url, { transports: ['websocket'], auth: { token: chat.token('sam') }, reconnection: false });
      sockets.push(socket);
      await new Promise<void>((resolve) => socket.once('session', () => resolve()));
    }
    type Ack = { ok: boolean; error?: { code: number; status: number } };
    const send = (socket: Socket, i: number) =>
      new Promise<Ack>((resolve) => socket.emit('message.send', { channel: channel.sid, body: `m${i}`, idempotencyKey: `limit-key-${i}-0000` }, resolve));
    // 24 sends split over two sockets on two replicas (each socket stays under its own per-socket limit).
    const acks = await Promise.all(Array.from({ length: 24 }, (_, i) => send(sockets[i % 2]!, i)));
    const accepted = acks.filter((a) => a.ok).length;
    const refused = acks.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.error).toMatchObject({ code: 20429, status: 429 });
    // 5 per second with bursts of up to 10: never all 24.
    expect(accepted).toBeLessThanOrEqual(15);
    const stored = await chat.rest.chat.v2.services(chat.serviceSid).channels(channel.sid).messages.list();
    expect(stored).toHaveLength(accepted);
    // The limit is per channel: another channel is unaffected.
    const other = await chat.rest.chat.v2.services(chat.serviceSid).channels.create({ friendlyName: 'other' });
    await chat.rest.chat.v2.services(chat.serviceSid).channels(other.sid).members.create({ identity: 'sam' });
    const elsewhere = await new Promise<Ack>((resolve) =>
      sockets[0]!.emit('message.send', { channel: other.sid, body: 'fine', idempotencyKey: 'other-channel-0001' }, resolve),
    );
    expect(elsewhere.ok).toBe(true);
    // And the limited channel takes sends again once its window passes.
    await waitFor(async () => (await send(sockets[1]!, 99)).ok, { timeoutMs: 15_000, intervalMs: 500, description: 'the channel to accept sends again' });
  });
});
