import { Connection, type ConnectionHandlers, type ConnectionState, type SocketFactoryOptions, type SocketLike } from './connection';
import { createLogger } from './logger';
import type { SessionWire } from './wire';

/** A socket driven by the test: it records what the SDK emits and lets the test play the server. */
class FakeSocket implements SocketLike {
  readonly listeners = new Map<string, ((...args: never[]) => void)[]>();
  readonly sent: { event: string; payload: unknown; ack: (reply: unknown) => void }[] = [];
  closed = false;

  constructor(readonly options: SocketFactoryOptions) {}

  on(event: string, listener: (...args: never[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  emit(event: string, payload: unknown, ack: (reply: unknown) => void): this {
    this.sent.push({ event, payload, ack });
    return this;
  }

  disconnect(): this {
    this.closed = true;
    return this;
  }

  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }

  server(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
}

/** Like socket.io-client's Socket: catch-all listeners run before the event's own, and outlive removeAllListeners. */
class CatchAllSocket extends FakeSocket {
  anyListeners: ((event: string, ...args: unknown[]) => void)[] = [];

  onAny(listener: (event: string, ...args: unknown[]) => void): this {
    this.anyListeners.push(listener);
    return this;
  }

  offAny(): this {
    this.anyListeners = [];
    return this;
  }

  override server(event: string, ...args: unknown[]): void {
    if (!['connect', 'connect_error', 'disconnect'].includes(event)) for (const listener of this.anyListeners) listener(event, ...args);
    super.server(event, ...args);
  }
}

const session = { identity: 'alice', channels: [] } as unknown as SessionWire;

function setup(random = () => 1, Socket: new (options: SocketFactoryOptions) => FakeSocket = FakeSocket) {
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const handlers: ConnectionHandlers = {
    session: jest.fn(),
    event: jest.fn(),
    stateChanged: (s) => states.push(s),
    dropped: jest.fn(),
    denied: jest.fn(),
    transientError: jest.fn(),
  };
  const connection = new Connection({
    url: 'http://gateway',
    token: 'token-1',
    logger: createLogger('silent'),
    handlers,
    commandTimeout: 1000,
    random,
    socketFactory: (_url, options) => {
      const socket = new Socket(options);
      sockets.push(socket);
      return socket;
    },
  });
  const last = () => sockets[sockets.length - 1];
  const establish = () => {
    last().server('connect');
    last().server('session', session);
  };
  return { connection, sockets, states, handlers, last, establish };
}

const ok = (data: unknown) => ({ ok: true, data });

describe('Connection', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('opens a websocket-only socket with the token and Socket.IO reconnection off', () => {
    const { connection, last } = setup();
    connection.start();
    expect(last().options).toMatchObject({ transports: ['websocket'], auth: { token: 'token-1' }, reconnection: false, forceNew: true });
  });

  it('holds commands until the session, then sends them in order and resolves with the ack data', async () => {
    const { connection, last, establish, states, handlers } = setup();
    connection.start();
    const a = connection.request('channel.get', { channel: 'CH1' }, 'resend');
    const b = connection.request('typing', { channel: 'CH1' }, 'once');
    last().server('connect');
    expect(last().sent).toEqual([]);
    last().server('session', session);
    expect(handlers.session).toHaveBeenCalledWith(session);
    expect(last().sent.map((s) => s.event)).toEqual(['channel.get', 'typing']);
    last().sent[0].ack(ok({ sid: 'CH1' }));
    last().sent[1].ack({ ok: false, error: { code: 50400, status: 403, message: 'not a member' } });
    await expect(a).resolves.toEqual({ sid: 'CH1' });
    await expect(b).rejects.toMatchObject({ name: 'SDKError', code: 50400, status: 403 });
    expect(states).toEqual(['connecting', 'connected']);
    establish();
  });

  it('a denied handshake is final: state denied, pending calls rejected with the denial, no retry', async () => {
    const { connection, sockets, last, states, handlers } = setup();
    connection.start();
    const pending = connection.request('channel.get', { channel: 'CH1' }, 'resend');
    last().server('connect_error', Object.assign(new Error('x'), { data: { code: 20101, status: 401, message: 'Invalid Access Token' } }));
    await expect(pending).rejects.toMatchObject({ code: 20101, status: 401, message: 'Invalid Access Token' });
    expect(states).toEqual(['connecting', 'denied']);
    expect(handlers.denied).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(sockets).toHaveLength(1);
    await expect(connection.request('typing', { channel: 'CH1' }, 'once')).rejects.toMatchObject({ code: 20504 });
  });

  it('sends a resend-policy command again, same payload, when the server answers 503; fails other policies at once', async () => {
    const { connection, last, establish } = setup(() => 0.5);
    connection.start();
    establish();
    const payload = { channel: 'CH1', body: 'hi', idempotencyKey: 'key-00000001' };
    const send = connection.request('message.send', payload as never, 'resend');
    const join = connection.request('channel.join', { channel: 'CH1' }, 'once');
    const unavailable = { ok: false, error: { code: 20503, message: 'chat.v1.cmd.message is unavailable', status: 503 } };
    const [firstSend, firstJoin] = last().sent;
    firstSend?.ack(unavailable);
    firstJoin?.ack(unavailable);
    await expect(join).rejects.toMatchObject({ code: 20503 });
    expect(last().sent).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(500);
    expect(last().sent).toHaveLength(3);
    expect(last().sent[2]).toMatchObject({ event: 'message.send', payload });
    last().sent[2]?.ack(ok({ index: 7 }));
    await expect(send).resolves.toEqual({ index: 7 });
  });

  it('retries transient failures with exponential backoff capped at 10 s', async () => {
    const { connection, sockets, last, handlers } = setup(() => 1);
    connection.start();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) {
      last().server('connect_error', new Error('ECONNREFUSED'));
      const before = sockets.length;
      let waited = 0;
      while (sockets.length === before) {
        await jest.advanceTimersByTimeAsync(50);
        waited += 50;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(handlers.transientError).toHaveBeenCalledTimes(8);
  });

  it('starts the backoff over after a session', async () => {
    const { connection, sockets, last, establish } = setup(() => 1);
    connection.start();
    for (let i = 0; i < 4; i++) {
      last().server('connect_error', new Error('down'));
      await jest.advanceTimersByTimeAsync(10_000);
    }
    establish();
    last().server('disconnect', 'transport close');
    const before = sockets.length;
    await jest.advanceTimersByTimeAsync(249);
    expect(sockets).toHaveLength(before);
    await jest.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(before + 1);
  });

  it('after serverShutdown, reconnects within the first backoff step', async () => {
    const { connection, sockets, last, establish } = setup(() => 0.5);
    connection.start();
    for (let i = 0; i < 3; i++) {
      last().server('connect_error', new Error('down'));
      await jest.advanceTimersByTimeAsync(10_000);
    }
    establish();
    last().server('serverShutdown', { reconnect: true });
    last().server('disconnect', 'io server disconnect');
    await jest.advanceTimersByTimeAsync(125);
    expect(sockets).toHaveLength(5);
  });

  it('tokenExpired stops the connection; a new token reconnects with it', async () => {
    const { connection, sockets, last, establish, states, handlers } = setup();
    connection.start();
    establish();
    const pending = connection.request('channel.get', { channel: 'CH1' }, 'resend');
    last().server('tokenExpired');
    expect(handlers.event).toHaveBeenCalledWith('tokenExpired', undefined);
    expect(states[states.length - 1]).toBe('disconnected');
    await expect(pending).rejects.toMatchObject({ code: 20504 });
    await jest.advanceTimersByTimeAsync(120_000);
    expect(sockets).toHaveLength(1);
    expect(connection.setToken('token-2')).toBe(true);
    expect(sockets).toHaveLength(2);
    expect(last().options.auth.token).toBe('token-2');
  });

  it('with a catch-all listener (socket.io-client), forwards the same events once each and drops it on close', async () => {
    const { connection, sockets, last, establish, handlers } = setup(() => 0, CatchAllSocket);
    connection.start();
    establish();
    const socket = last() as CatchAllSocket;
    expect(socket.anyListeners).toHaveLength(1);
    expect([...socket.listeners.keys()].sort()).toEqual(['connect', 'connect_error', 'disconnect', 'session']);
    socket.server('messageAdded', { sid: 'IM1' });
    socket.server('somethingElse', { x: 1 });
    expect(handlers.event).toHaveBeenCalledTimes(1);
    expect(handlers.event).toHaveBeenCalledWith('messageAdded', { sid: 'IM1' });
    expect(handlers.session).toHaveBeenCalledTimes(1);
    socket.server('disconnect', 'transport close');
    expect(socket.anyListeners).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    last().server('tokenExpired');
    expect(handlers.event).toHaveBeenLastCalledWith('tokenExpired', undefined);
    expect(connection.state).toBe('disconnected');
  });

  it('a new token while connected is kept for the next handshake', async () => {
    const { connection, last, establish } = setup(() => 0);
    connection.start();
    establish();
    expect(connection.setToken('token-2')).toBe(false);
    last().server('disconnect', 'transport close');
    await jest.advanceTimersByTimeAsync(0);
    expect(last().options.auth.token).toBe('token-2');
  });

  it('after a drop, resends a resend-policy call with the identical payload and fails a once-policy call', async () => {
    const { connection, last, establish, handlers } = setup(() => 0);
    connection.start();
    establish();
    const payload = { channel: 'CH1', body: 'hi', idempotencyKey: 'a'.repeat(32) };
    const send = connection.request('message.send', payload, 'resend');
    const join = connection.request('channel.join', { channel: 'CH1' }, 'once');
    const first = last();
    first.server('disconnect', 'transport close');
    expect(handlers.dropped).toHaveBeenCalledTimes(1);
    await expect(join).rejects.toMatchObject({ name: 'SDKError', code: 20503 });
    await jest.advanceTimersByTimeAsync(0);
    establish();
    const resent = last().sent.filter((s) => s.event === 'message.send');
    expect(resent).toHaveLength(1);
    expect(resent[0].payload).toBe(first.sent[0].payload);
    resent[0].ack(ok({ index: 7 }));
    await expect(send).resolves.toEqual({ index: 7 });
  });

  it('without an ack in time: resend-policy calls go again, once-policy calls time out', async () => {
    const { connection, last, establish } = setup();
    connection.start();
    establish();
    const page = connection.request('message.page', { channel: 'CH1' }, 'resend');
    const typing = connection.request('typing', { channel: 'CH1' }, 'once');
    const outcome = typing.catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(1000);
    expect(await outcome).toMatchObject({ code: 20408, status: 408 });
    expect(last().sent.map((s) => s.event)).toEqual(['message.page', 'typing', 'message.page']);
    // The late ack of the first attempt settles the call; the second attempt's ack is ignored.
    last().sent[0].ack(ok('first'));
    last().sent[2].ack(ok('second'));
    await expect(page).resolves.toBe('first');
  });

  it('gives up on a resend-policy call after its deadline (3 × commandTimeout)', async () => {
    const { connection, last, establish } = setup();
    connection.start();
    establish();
    const page = connection.request('message.page', { channel: 'CH1' }, 'resend').catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(3000);
    expect(await page).toMatchObject({ code: 20408 });
    expect(last().sent).toHaveLength(3);
  });

  it('replaces a socket that connects but sends no session', async () => {
    const { connection, sockets, last } = setup(() => 0);
    connection.start();
    last().server('connect');
    await jest.advanceTimersByTimeAsync(999);
    expect(sockets[0].closed).toBe(false);
    await jest.advanceTimersByTimeAsync(2);
    expect(sockets[0].closed).toBe(true);
    expect(sockets).toHaveLength(2);
  });

  it('shutdown: disconnecting → disconnected, pending calls rejected, no reconnect', async () => {
    const { connection, sockets, last, establish, states } = setup();
    connection.start();
    establish();
    const pending = connection.request('channel.get', { channel: 'CH1' }, 'resend');
    connection.shutdown();
    await expect(pending).rejects.toMatchObject({ code: 20504 });
    expect(states.slice(-2)).toEqual(['disconnecting', 'disconnected']);
    expect(last().closed).toBe(true);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(sockets).toHaveLength(1);
  });
});
