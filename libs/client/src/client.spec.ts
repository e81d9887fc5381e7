import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { waitFor } from '@parley/testing';
import { Client, type ClientOptions } from './client';
import type { Message } from './message';
import type { ChannelWire, MemberWire, MessageWire, ResumeItemWire, UserWire } from './wire';

/*
 * The SDK against a fake gateway: a real Socket.IO server on loopback speaking the protocol of
 * libs/contracts/src/realtime.ts from in-memory state. It exercises the SDK's own machinery
 * (handshake, session, acks, reconnects, resume, resends); the real gateway is covered by e2e tests.
 */

type Handler = (socket: Socket, identity: string, payload: Record<string, unknown>) => unknown;

class Failure {
  constructor(readonly error: { code: number; status: number; message: string }) {}
}

interface FakeChannel {
  wire: Omit<ChannelWire, 'membership' | 'last_message'>;
  members: Map<string, MemberWire>;
  messages: MessageWire[];
  nextIndex: number;
  byKey: Map<string, MessageWire>;
}

class FakeGateway {
  private http!: HttpServer;
  io!: Server;
  url = '';
  connections = 0;
  handshakes = 0;
  readonly commands: { command: string; payload: Record<string, unknown> }[] = [];
  readonly channels = new Map<string, FakeChannel>();
  readonly users = new Map<string, UserWire>();
  typingTimeout = 1;
  resumeLimit = 200;
  /** While set, every handshake is rejected with this error (503: transient, the SDK retries). */
  rejectHandshakes: { code: number; status: number } | null = null;
  /** Return 'drop' to swallow the ack, 'drop-and-disconnect' to also cut the socket. */
  interceptAck: ((command: string, payload: Record<string, unknown>) => 'drop' | 'drop-and-disconnect' | undefined) | null = null;
  /** Return false to keep a domain event from reaching sockets (simulating loss across replicas). */
  broadcastFilter: ((event: string, payload: unknown) => boolean) | null = null;
  private seq = 0;

  async start(): Promise<void> {
    this.http = createServer();
    this.io = new Server(this.http, { transports: ['websocket'] });
    this.io.use((socket, next) => {
      this.handshakes++;
      const token = String(socket.handshake.auth?.token ?? '');
      const reject = (code: number, message: string, status = 401) => next(Object.assign(new Error(message), { data: { code, status, message } }));
      if (this.rejectHandshakes) return reject(this.rejectHandshakes.code, 'Rejected', this.rejectHandshakes.status);
      if (token.startsWith('denied')) return reject(20101, 'Invalid Access Token');
      if (token.startsWith('expired')) return reject(20104, 'Access Token expired or expiration date invalid');
      socket.data.identity = token.split('#')[0];
      next();
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }

  sid(prefix: string): string {
    return prefix + String(++this.seq).padStart(32, '0');
  }

  user(identity: string): UserWire {
    let user = this.users.get(identity);
    if (!user) {
      user = { sid: this.sid('US'), identity, friendly_name: null, attributes: '{}', is_online: null, is_notifiable: null };
      this.users.set(identity, user);
    }
    return user;
  }

  channelWire(ch: FakeChannel, identity?: string): ChannelWire {
    const last = ch.messages[ch.messages.length - 1];
    const member = identity ? ch.members.get(identity) : undefined;
    return {
      ...ch.wire,
      members_count: ch.members.size,
      messages_count: ch.messages.length,
      last_message: last ? { index: last.index, date_created: last.date_created } : null,
      ...(identity !== undefined
        ? {
            membership: member
              ? {
                  status: 'joined' as const,
                  member_sid: member.sid,
                  last_consumed_message_index: member.last_consumed_message_index,
                  unread_messages_count: ch.messages.filter((m) => m.index > (member.last_consumed_message_index ?? -1)).length,
                }
              : null,
          }
        : {}),
    };
  }

  createChannel(friendlyName: string, members: string[] = []): FakeChannel {
    const sid = this.sid('CH');
    const ch: FakeChannel = {
      wire: {
        sid,
        friendly_name: friendlyName,
        unique_name: null,
        attributes: '{}',
        type: 'public',
        date_created: '2024-01-01T00:00:00Z',
        date_updated: '2024-01-01T00:00:00Z',
        created_by: 'system',
      },
      members: new Map(),
      messages: [],
      nextIndex: 0,
      byKey: new Map(),
    };
    this.channels.set(sid, ch);
    for (const identity of members) this.addMember(ch, identity, false);
    return ch;
  }

  addMember(ch: FakeChannel, identity: string, notify = true): MemberWire {
    const member: MemberWire = {
      sid: this.sid('MB'),
      channel_sid: ch.wire.sid,
      identity,
      date_created: '2024-01-01T00:00:00Z',
      date_updated: '2024-01-01T00:00:00Z',
      role_sid: 'RL' + '0'.repeat(32),
      last_consumed_message_index: null,
      last_consumption_timestamp: null,
      attributes: '{}',
    };
    ch.members.set(identity, member);
    if (notify) {
      this.io.in(`user:${identity}`).socketsJoin(`channel:${ch.wire.sid}`);
      this.broadcast(`channel:${ch.wire.sid}`, 'memberJoined', member);
      this.broadcast(`user:${identity}`, 'channelJoined', member);
    }
    return member;
  }

  /** Stores a message (as message-service would) and fans out messageAdded. */
  addMessage(ch: FakeChannel, from: string, body: string, key?: string): MessageWire {
    const existing = key ? ch.byKey.get(key) : undefined;
    if (existing) return existing;
    const msg: MessageWire = {
      sid: this.sid('IM'),
      channel_sid: ch.wire.sid,
      attributes: '{}',
      date_created: new Date(Date.UTC(2024, 0, 1, 0, 0, ch.nextIndex)).toISOString(),
      date_updated: new Date(Date.UTC(2024, 0, 1, 0, 0, ch.nextIndex)).toISOString(),
      last_updated_by: null,
      from,
      body,
      index: ch.nextIndex++,
    };
    ch.messages.push(msg);
    if (key) ch.byKey.set(key, msg);
    this.broadcast(`channel:${ch.wire.sid}`, 'messageAdded', msg);
    return msg;
  }

  broadcast(room: string, event: string, payload: unknown): void {
    if (this.broadcastFilter && !this.broadcastFilter(event, payload)) return;
    this.io.to(room).emit(event, payload);
  }

  channelOf(payload: Record<string, unknown>): FakeChannel {
    const ch = this.channels.get(String(payload.channel));
    if (!ch) throw new Failure({ code: 50300, status: 404, message: 'Channel not found' });
    return ch;
  }

  private readonly handlers: Record<string, Handler> = {
    'channel.get': (_s, identity, p) => this.channelWire(this.channelOf(p), identity),
    'channel.create': (_s, identity, p) => {
      const ch = this.createChannel(String(p.friendlyName ?? ''));
      ch.wire.created_by = identity;
      return this.channelWire(ch, identity);
    },
    'channel.join': (_s, identity, p) => this.addMember(this.channelOf(p), identity),
    'channel.leave': (_s, identity, p) => {
      const ch = this.channelOf(p);
      const member = ch.members.get(identity);
      if (!member) throw new Failure({ code: 50400, status: 400, message: 'User not member of channel' });
      ch.members.delete(identity);
      this.broadcast(`channel:${ch.wire.sid}`, 'memberLeft', member);
      this.broadcast(`user:${identity}`, 'channelLeft', member);
      this.io.in(`user:${identity}`).socketsLeave(`channel:${ch.wire.sid}`);
      return null;
    },
    'channel.members': (_s, _i, p) => [...this.channelOf(p).members.values()],
    'message.send': (_s, identity, p) => this.addMessage(this.channelOf(p), identity, String(p.body), String(p.idempotencyKey)),
    'message.page': (_s, _i, p) => {
      const ch = this.channelOf(p);
      const size = Number(p.pageSize ?? 30);
      const anchor = p.anchor as number | undefined;
      const backwards = (p.direction ?? 'backwards') === 'backwards';
      const asc = ch.messages.filter((m) => (anchor === undefined ? true : backwards ? m.index <= anchor : m.index >= anchor));
      return { items: backwards ? asc.slice(Math.max(0, asc.length - size)) : asc.slice(0, size) };
    },
    'message.update': (_s, identity, p) => {
      const msg = this.channelOf(p).messages.find((m) => m.sid === p.message);
      if (!msg) throw new Failure({ code: 50500, status: 404, message: 'Message not found' });
      if (typeof p.body === 'string') msg.body = p.body;
      msg.last_updated_by = identity;
      msg.date_updated = '2024-02-01T00:00:00.000Z';
      this.broadcast(`channel:${msg.channel_sid}`, 'messageUpdated', { ...msg });
      return { ...msg };
    },
    typing: (_s, identity, p) => {
      this.broadcast(`channel:${this.channelOf(p).wire.sid}`, 'typingStarted', { channel_sid: p.channel, identity });
      return null;
    },
    'consumption.update': (_s, identity, p) => {
      const ch = this.channelOf(p);
      const member = ch.members.get(identity)!;
      member.last_consumed_message_index = p.index as number | null;
      const unread = ch.messages.filter((m) => m.index > (member.last_consumed_message_index ?? -1)).length;
      return { channel_sid: ch.wire.sid, last_consumed_message_index: member.last_consumed_message_index, unread_messages_count: unread };
    },
    'user.subscribe': (socket, _i, p) => {
      void socket.join(`presence:${String(p.identity)}`);
      return this.user(String(p.identity));
    },
    'user.update': (_s, identity, p) => {
      const user = this.user(identity);
      if (typeof p.friendlyName === 'string') user.friendly_name = p.friendlyName;
      this.broadcast(`user:${identity}`, 'userUpdated', user);
      return user;
    },
    'token.update': () => null,
    resume: (_s, _i, p) =>
      (p.channels as { channel: string; lastIndex: number | null }[]).map((entry): ResumeItemWire => {
        const ch = this.channels.get(entry.channel)!;
        const missed = ch.messages.filter((m) => m.index > (entry.lastIndex ?? -1));
        return missed.length > this.resumeLimit
          ? { channel: entry.channel, recovered: false }
          : { channel: entry.channel, recovered: true, messages: missed };
      }),
  };

  private onConnection(socket: Socket): void {
    this.connections++;
    const identity = socket.data.identity as string;
    void socket.join(`user:${identity}`);
    const mine = [...this.channels.values()].filter((ch) => ch.members.has(identity));
    for (const ch of mine) void socket.join(`channel:${ch.wire.sid}`);
    socket.onAny((command: string, payload: Record<string, unknown>, ack?: (reply: unknown) => void) => {
      this.commands.push({ command, payload });
      const handler = this.handlers[command];
      let reply: unknown;
      try {
        if (!handler) throw new Failure({ code: 20001, status: 400, message: `Unknown command: ${command}` });
        reply = { ok: true, data: handler(socket, identity, payload ?? {}) ?? null };
      } catch (err) {
        if (!(err instanceof Failure)) throw err;
        reply = { ok: false, error: err.error };
      }
      const intercepted = this.interceptAck?.(command, payload);
      if (intercepted === 'drop-and-disconnect') return void socket.disconnect(true);
      if (intercepted === 'drop') return;
      ack?.(reply);
    });
    socket.emit('session', {
      identity,
      serviceSid: 'IS' + '0'.repeat(32),
      accountSid: 'AC' + '0'.repeat(32),
      user: this.user(identity),
      reachabilityEnabled: true,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      typingIndicatorTimeout: this.typingTimeout,
      channels: mine.map((ch) => this.channelWire(ch, identity)),
    });
  }
}


describe('Client against a fake gateway', () => {
  let gw: FakeGateway;
  const clients: Client[] = [];
  const options = (): ClientOptions => ({ url: gw.url, logLevel: 'silent', backoff: { initialMs: 20, maxMs: 100 }, commandTimeout: 2000 });
  const connect = async (token: string, extra: Partial<ClientOptions> = {}) => {
    const client = await Client.create(token, { ...options(), ...extra });
    clients.push(client);
    return client;
  };
  /** Cuts the client off, runs `meanwhile` while it cannot reconnect, then lets it back in. */
  const outage = async (client: Client, meanwhile: () => void) => {
    gw.rejectHandshakes = { code: 20503, status: 503 };
    const identity = client.user.identity;
    gw.io.in(`user:${identity}`).disconnectSockets(true);
    await waitFor(() => client.connectionState === 'connecting', { description: 'the drop' });
    meanwhile();
    gw.rejectHandshakes = null;
    await waitFor(() => client.connectionState === 'connected', { description: 'the reconnect' });
  };
  const collect = (client: Client) => {
    const added: string[] = [];
    client.on('messageAdded', (m: Message) => added.push(`${m.index}:${m.body}`));
    return added;
  };

  beforeEach(async () => {
    gw = new FakeGateway();
    await gw.start();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.shutdown()));
    await gw.stop();
  });

  it('resolves create() once the session arrived, with the user and its channels', async () => {
    const general = gw.createChannel('General', ['alice']);
    gw.addMessage(general, 'bob', 'earlier');
    const states: string[] = [];
    const client = new Client('alice', options());
    clients.push(client);
    client.on('connectionStateChanged', (s) => states.push(s));
    await new Promise<void>((resolve) => client.on('stateChanged', () => resolve()));
    expect(client.connectionState).toBe('connected');
    expect(states).toEqual(['connected']);
    expect(client.user.identity).toBe('alice');
    expect(client.reachabilityEnabled).toBe(true);
    const page = await client.getSubscribedChannels().catch(() => null);
    expect(page).toBeNull(); // the fake does not serve channel.subscribed: an SDKError, not a hang
    const [channel] = client.getLocalChannels();
    expect(channel).toMatchObject({ sid: general.wire.sid, friendlyName: 'General', status: 'joined', lastMessage: { index: 0 } });
  });

  it('rejects create() with an SDKError and stays denied (no retries) for a rejected token', async () => {
    const err = await Client.create('denied', options()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'SDKError', code: 20101, status: 401 });
    expect(gw.handshakes).toBe(1); // no retry: connection.spec proves none is scheduled later
  });

  it('sends, delivers messageAdded to members, and rejects failed commands with SDKError', async () => {
    const ch = gw.createChannel('Room', ['alice', 'bob']);
    const alice = await connect('alice');
    const bob = await connect('bob');
    const seen = collect(bob);
    const channel = await alice.getChannelBySid(ch.wire.sid);
    expect(await channel.sendMessage('one')).toBe(0);
    expect(await channel.sendMessage('two', { x: 1 })).toBe(1);
    await waitFor(() => seen.length === 2, { description: 'two messages' });
    expect(seen).toEqual(['0:one', '1:two']);
    const sends = gw.commands.filter((c) => c.command === 'message.send');
    expect(sends.map((c) => String(c.payload.idempotencyKey).length)).toEqual([32, 32]);
    expect(sends[0].payload.idempotencyKey).not.toBe(sends[1].payload.idempotencyKey);
    await expect(alice.getChannelBySid('CH404')).rejects.toMatchObject({ name: 'SDKError', code: 50300, status: 404 });
  });

  it('emits messageAdded strictly in index order and fills a gap with message.page', async () => {
    const ch = gw.createChannel('Room', ['alice']);
    const alice = await connect('alice');
    const seen = collect(alice);
    // Index 0 never reaches the socket (lost across replicas); 2 arrives before 1.
    gw.broadcastFilter = (event, payload) => !(event === 'messageAdded' && (payload as MessageWire).index === 0);
    const m0 = gw.addMessage(ch, 'bob', 'zero');
    gw.broadcastFilter = () => false;
    const m1 = gw.addMessage(ch, 'bob', 'one');
    const m2 = gw.addMessage(ch, 'bob', 'two');
    gw.broadcastFilter = null;
    gw.broadcast(`channel:${ch.wire.sid}`, 'messageAdded', m2);
    gw.broadcast(`channel:${ch.wire.sid}`, 'messageAdded', m1);
    gw.broadcast(`channel:${ch.wire.sid}`, 'messageAdded', m1); // duplicate
    await waitFor(() => seen.length === 3, { description: 'the gap to be filled' });
    expect(seen).toEqual(['0:zero', '1:one', '2:two']);
    expect(m0.index).toBe(0);
    expect(gw.commands.filter((c) => c.command === 'message.page').map((c) => c.payload)).toEqual([
      { channel: ch.wire.sid, anchor: 0, direction: 'forward', pageSize: 100 },
    ]);
  });

  it('recovers messages missed while disconnected, each once, in order', async () => {
    const ch = gw.createChannel('Room', ['alice']);
    gw.addMessage(ch, 'bob', 'before');
    const alice = await connect('alice');
    const seen = collect(alice);
    gw.addMessage(ch, 'bob', 'live');
    await waitFor(() => seen.length === 1, { description: 'the live message' });
    const states: string[] = [];
    alice.on('connectionStateChanged', (s) => states.push(s));
    await outage(alice, () => {
      gw.addMessage(ch, 'bob', 'missed 1');
      gw.addMessage(ch, 'bob', 'missed 2');
    });
    await waitFor(() => seen.length === 3, { description: 'recovered messages' });
    gw.addMessage(ch, 'bob', 'after');
    await waitFor(() => seen.length === 4, { description: 'the next live message' });
    expect(seen).toEqual(['1:live', '2:missed 1', '3:missed 2', '4:after']);
    expect(states[0]).toBe('connecting');
    expect(states[states.length - 1]).toBe('connected');
    expect(states.filter((x) => x !== 'connecting' && x !== 'connected')).toEqual([]);
    expect(gw.commands.filter((c) => c.command === 'resume').map((c) => c.payload)).toEqual([
      { channels: [{ channel: ch.wire.sid, lastIndex: 1 }] },
    ]);
  });

  it('after recovered: false, emits none of the missed messages and signals channel updated (lastMessage)', async () => {
    const ch = gw.createChannel('Room', ['alice']);
    const alice = await connect('alice');
    const seen = collect(alice);
    const [channel] = alice.getLocalChannels();
    const reasons: string[][] = [];
    channel.on('updated', ({ updateReasons }) => reasons.push(updateReasons));
    gw.resumeLimit = 2;
    await outage(alice, () => {
      for (let i = 0; i < 5; i++) gw.addMessage(ch, 'bob', `missed ${i}`);
    });
    await waitFor(() => channel.lastMessage.index === 4, { description: 'the rebase' });
    expect(reasons).toContainEqual(['lastMessage']);
    gw.addMessage(ch, 'bob', 'after');
    await waitFor(() => seen.length === 1, { description: 'the next live message' });
    expect(seen).toEqual(['5:after']);
  });

  it('resends an unacknowledged send with the same key after reconnecting: one message, the original index', async () => {
    const ch = gw.createChannel('Room', ['alice', 'bob']);
    const alice = await connect('alice');
    const bob = await connect('bob');
    const seen = collect(bob);
    const channel = await alice.getChannelBySid(ch.wire.sid);
    let dropped = 0;
    gw.interceptAck = (command) => (command === 'message.send' && dropped++ === 0 ? 'drop-and-disconnect' : undefined);
    const index = await channel.sendMessage('only once');
    expect(index).toBe(0);
    const sends = gw.commands.filter((c) => c.command === 'message.send');
    expect(sends).toHaveLength(2);
    expect(sends[1].payload).toEqual(sends[0].payload);
    expect(ch.messages).toHaveLength(1);
    // A later message as a barrier: everything before it has been delivered by then.
    expect(await channel.sendMessage('next')).toBe(1);
    await waitFor(() => seen.length === 2, { description: 'the messages at bob' });
    expect(seen).toEqual(['0:only once', '1:next']);
  });

  it('fails a non-idempotent command whose ack was lost to a disconnect', async () => {
    const ch = gw.createChannel('Room', ['bob']);
    const alice = await connect('alice');
    const channel = await alice.getChannelBySid(ch.wire.sid);
    gw.interceptAck = (command) => (command === 'channel.join' ? 'drop-and-disconnect' : undefined);
    await expect(channel.join()).rejects.toMatchObject({ name: 'SDKError', code: 20503 });
  });

  it('joins a channel: channelJoined, members, typing indicator with typingEnded after the timeout', async () => {
    const ch = gw.createChannel('Room', ['bob']);
    const alice = await connect('alice');
    const bob = await connect('bob');
    const joined: string[] = [];
    alice.on('channelJoined', (c) => joined.push(c.sid));
    const channel = await alice.getChannelBySid(ch.wire.sid);
    expect(channel.status).toBe('notParticipating');
    await channel.join();
    expect(channel.status).toBe('joined');
    expect(joined).toEqual([ch.wire.sid]);
    expect((await channel.getMembers()).map((m) => m.identity).sort()).toEqual(['alice', 'bob']);

    const typing: string[] = [];
    channel.on('typingStarted', (m) => typing.push(`started:${m.identity}`));
    channel.on('typingEnded', (m) => typing.push(`ended:${m.identity}`));
    const bobChannel = await bob.getChannelBySid(ch.wire.sid);
    const started = Date.now();
    await bobChannel.typing();
    await bobChannel.typing(); // throttled
    await waitFor(() => typing.length === 2, { description: 'typing to end', timeoutMs: 4000 });
    expect(typing).toEqual(['started:bob', 'ended:bob']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(gw.commands.filter((c) => c.command === 'typing')).toHaveLength(1);
    // The server's channelJoined event for the join arrived meanwhile: no second channelJoined.
    expect(joined).toEqual([ch.wire.sid]);
  });

  it('a channel the user is added to by someone else: channelAdded, channelJoined, then its messages', async () => {
    const ch = gw.createChannel('Room', ['bob']);
    const alice = await connect('alice');
    const events: string[] = [];
    alice.on('channelAdded', (c) => events.push(`added:${c.friendlyName}`));
    alice.on('channelJoined', (c) => events.push(`joined:${c.status}`));
    const seen = collect(alice);
    gw.addMessage(ch, 'bob', 'history');
    gw.addMember(ch, 'alice');
    await waitFor(() => events.length === 2, { description: 'the join' });
    expect(events).toEqual(['added:Room', 'joined:joined']);
    gw.addMessage(ch, 'bob', 'hello alice');
    await waitFor(() => seen.length === 1, { description: 'the message' });
    expect(seen).toEqual(['1:hello alice']);
  });

  it('reconciles memberships that changed while disconnected', async () => {
    const kept = gw.createChannel('Kept', ['alice']);
    const lost = gw.createChannel('Lost', ['alice']);
    const gained = gw.createChannel('Gained', ['bob']);
    const alice = await connect('alice');
    const events: string[] = [];
    for (const name of ['channelAdded', 'channelJoined', 'channelLeft'] as const) {
      alice.on(name, (c) => events.push(`${name}:${c.friendlyName}`));
    }
    await outage(alice, () => {
      lost.members.delete('alice');
      gw.addMember(gained, 'alice', false);
    });
    await waitFor(() => events.length === 3, { description: 'the reconciliation' });
    expect(events.sort()).toEqual(['channelAdded:Gained', 'channelJoined:Gained', 'channelLeft:Lost']);
    expect(alice.getLocalChannels().find((c) => c.sid === kept.wire.sid)?.status).toBe('joined');
  });

  it('getMessages pages backwards and forward through message.page', async () => {
    const ch = gw.createChannel('Room', ['alice']);
    for (let i = 0; i < 7; i++) gw.addMessage(ch, 'bob', `m${i}`);
    const alice = await connect('alice');
    const [channel] = alice.getLocalChannels();
    const newest = await channel.getMessages(3);
    expect(newest.items.map((m) => m.index)).toEqual([4, 5, 6]);
    expect([newest.hasPrevPage, newest.hasNextPage]).toEqual([true, false]);
    const older = await newest.prevPage();
    expect(older.items.map((m) => m.body)).toEqual(['m1', 'm2', 'm3']);
    const first = await older.prevPage();
    expect(first.items.map((m) => m.index)).toEqual([0]);
    expect(first.hasPrevPage).toBe(false);
    expect((await first.nextPage()).items.map((m) => m.index)).toEqual([1, 2, 3]);
  });

  it('message updates reach the instances the app holds, with reasons', async () => {
    const ch = gw.createChannel('Room', ['alice', 'bob']);
    const alice = await connect('alice');
    const bob = await connect('bob');
    const messages: Message[] = [];
    bob.on('messageAdded', (m) => messages.push(m));
    const channel = await alice.getChannelBySid(ch.wire.sid);
    await channel.sendMessage('typo');
    const [atBob] = await waitFor(() => messages.length === 1 && messages, { description: 'the message' });
    const updates: string[][] = [];
    atBob.on('updated', ({ updateReasons }) => updates.push(updateReasons));
    const [atAlice] = (await channel.getMessages()).items;
    await atAlice.updateBody('fixed');
    expect(atAlice.body).toBe('fixed');
    await waitFor(() => updates.length === 1, { description: 'the update at bob' });
    expect(atBob.body).toBe('fixed');
    expect(updates[0]).toEqual(['body', 'lastUpdatedBy', 'dateUpdated']);
  });

  it('consumption commands resolve with the unread count and move the horizon', async () => {
    const ch = gw.createChannel('Room', ['alice']);
    for (let i = 0; i < 4; i++) gw.addMessage(ch, 'bob', `m${i}`);
    const alice = await connect('alice');
    const [channel] = alice.getLocalChannels();
    expect(await channel.updateLastConsumedMessageIndex(1)).toBe(2);
    expect(channel.lastConsumedMessageIndex).toBe(1);
    expect(await channel.getUnconsumedMessagesCount()).toBe(2);
    await expect(channel.updateLastConsumedMessageIndex(-1)).rejects.toMatchObject({ code: 20001 });
  });

  it('keeps users current: own user updates and subscribed users', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const bobAtAlice = await alice.getUser('bob');
    expect(bobAtAlice.isSubscribed).toBe(true);
    const reasons: string[][] = [];
    alice.on('userUpdated', ({ user, updateReasons }) => reasons.push([user.identity, ...updateReasons]));
    await bob.user.updateFriendlyName('Bob');
    gw.broadcast('presence:bob', 'userUpdated', gw.user('bob'));
    await waitFor(() => bobAtAlice.friendlyName === 'Bob', { description: 'bob at alice' });
    expect(reasons).toEqual([['bob', 'friendlyName']]);
    gw.broadcast('presence:bob', 'userUpdated', { identity: 'bob', is_online: true });
    await waitFor(() => bobAtAlice.isOnline === true, { description: 'reachability' });
    expect(reasons[1]).toEqual(['bob', 'reachabilityOnline']);
    await expect(bobAtAlice.updateFriendlyName('x')).rejects.toMatchObject({ code: 50107, status: 403 });
  });

  it('tokenExpired stops reconnecting until updateToken, which reconnects', async () => {
    const alice = await connect('alice');
    const events: string[] = [];
    alice.on('tokenAboutToExpire', (ttl) => events.push(`about:${ttl}`));
    alice.on('tokenExpired', () => events.push('expired'));
    gw.io.in('user:alice').emit('tokenAboutToExpire', { expiresAt: 0, ttl: 30 });
    gw.io.in('user:alice').emit('tokenExpired');
    await waitFor(() => alice.connectionState === 'disconnected', { description: 'the stop' });
    expect(events).toEqual(['about:30', 'expired']);
    await expect(alice.getChannelBySid('CH1')).rejects.toMatchObject({ code: 20504 });
    await alice.updateToken('alice#2');
    expect(alice.connectionState).toBe('connected');
    expect(gw.connections).toBe(2);
  });

  it('a token rejected as expired on reconnect: denied, tokenExpired, then revived by updateToken', async () => {
    const alice = await connect('alice');
    const events: string[] = [];
    alice.on('tokenExpired', () => events.push('expired'));
    gw.rejectHandshakes = { code: 20104, status: 401 };
    gw.io.in('user:alice').disconnectSockets(true);
    await waitFor(() => alice.connectionState === 'denied', { description: 'denied' });
    expect(events).toEqual(['expired']);
    gw.rejectHandshakes = null;
    await alice.updateToken('alice#3');
    expect(alice.connectionState).toBe('connected');
  });

  it('reconnects right away after serverShutdown, and updateToken goes through token.update when connected', async () => {
    const alice = await connect('alice');
    gw.io.in('user:alice').emit('serverShutdown', { reconnect: true });
    gw.io.in('user:alice').disconnectSockets(true);
    await waitFor(() => gw.connections === 2 && alice.connectionState === 'connected', { description: 'the reconnect' });
    await alice.updateToken('alice#4');
    expect(gw.commands.filter((c) => c.command === 'token.update')).toHaveLength(1);
  });

  it('shutdown rejects later commands and does not reconnect', async () => {
    const ch = gw.createChannel('Room', ['alice']);
    const alice = await connect('alice');
    const [channel] = alice.getLocalChannels();
    await alice.shutdown();
    expect(alice.connectionState).toBe('disconnected');
    await expect(channel.sendMessage('late')).rejects.toMatchObject({ name: 'SDKError', code: 20504 });
    expect(ch.messages).toHaveLength(0);
  });
});
