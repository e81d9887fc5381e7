import { Channel } from './channel';
import type { ClientContext, ClientEvents } from './context';
import type { Message } from './message';
import type { ChannelWire, MemberWire, MessageWire } from './wire';

/*
 * A Channel on its own, with a fake client context: the per-delivery path (ordering, Message objects, typing ends,
 * lastMessage updates) without a socket. The full SDK against a fake gateway is in client.spec.ts.
 */

const CH = `CH${'1'.repeat(32)}`;

function channelWire(lastIndex: number | null): ChannelWire {
  return {
    sid: CH,
    friendly_name: 'Room',
    unique_name: null,
    attributes: '{}',
    type: 'private',
    date_created: '2026-11-24T09:00:00Z',
    date_updated: '2026-11-24T09:00:00Z',
    created_by: 'alice',
    last_message: lastIndex === null ? null : { index: lastIndex, date_created: '2026-11-24T09:00:00Z' },
    membership: { status: 'joined', last_consumed_message_index: null, member_sid: 'MB0' },
  };
}

function memberWire(n: number, identity: string): MemberWire {
  return {
    sid: `MB${n}`,
    channel_sid: CH,
    identity,
    date_created: null,
    date_updated: null,
    role_sid: null,
    last_consumed_message_index: null,
    last_consumption_timestamp: null,
    attributes: '{}',
  };
}

function messageWire(index: number, from: string, attributes = `{"n":${index}}`): MessageWire {
  return {
    sid: `IM${String(index).padStart(32, '0')}`,
    channel_sid: CH,
    attributes,
    date_created: `2026-11-24T10:00:0${index % 10}.000Z`,
    date_updated: `2026-11-24T10:00:0${index % 10}.000Z`,
    last_updated_by: null,
    from,
    body: `body ${index}`,
    index,
  };
}

function setup(members: MemberWire[], lastIndex: number | null = null) {
  const clientEvents: string[] = [];
  const ctx: ClientContext = {
    logger: { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    request: (async (command: string) => {
      if (command === 'channel.members') return members;
      if (command === 'message.page') return [];
      throw new Error(`unexpected ${command}`);
    }) as ClientContext['request'],
    emit: <E extends keyof ClientEvents>(event: E, ...args: ClientEvents[E]) => {
      if (event === 'messageAdded') clientEvents.push(`messageAdded:${(args[0] as Message).index}`);
      else clientEvents.push(event);
    },
    identity: () => 'alice',
    connected: () => true,
    reachabilityEnabled: () => false,
    typingTimeoutMs: () => 60_000,
    getUser: () => Promise.reject(new Error('not here')),
    unsubscribeUser: () => Promise.resolve(),
    channelRemoved: () => undefined,
    reportListenerError: (err) => {
      throw err;
    },
  };
  const channel = new Channel(ctx, channelWire(lastIndex), true);
  const events: string[] = [];
  channel.on('messageAdded', (m) => events.push(`added:${m.index}:${m.author}`));
  channel.on('typingEnded', (m) => events.push(`typingEnded:${m.identity}`));
  channel.on('updated', ({ updateReasons }) => events.push(`updated:${updateReasons.join(',')}`));
  return { channel, events, clientEvents };
}

describe('Channel deliveries', () => {
  it('delivers in index order, once each, and moves lastMessage with an updated event per delivery', () => {
    const { channel, events, clientEvents } = setup([], 4);
    channel._messageAdded(messageWire(5, 'bob'));
    channel._messageAdded(messageWire(7, 'bob'));
    channel._messageAdded(messageWire(6, 'carol'));
    channel._messageAdded(messageWire(6, 'carol'));
    expect(events).toEqual(['added:5:bob', 'updated:lastMessage', 'added:6:carol', 'added:7:bob', 'updated:lastMessage']);
    expect(clientEvents).toEqual(['messageAdded:5', 'channelUpdated', 'messageAdded:6', 'messageAdded:7', 'channelUpdated']);
    expect(channel.lastMessage).toEqual({ index: 7, dateCreated: new Date('2026-11-24T10:00:07.000Z') });
    channel._dispose();
  });

  it('a delivered Message reads like its resource, its attributes parsed once', () => {
    const { channel } = setup([], null);
    const seen: Message[] = [];
    channel.on('messageAdded', (m) => seen.push(m));
    channel._messageAdded(messageWire(0, 'bob', '{"t":1.5,"tags":["a"]}'));
    const [m] = seen;
    expect(m.index).toBe(0);
    expect(m.sid).toBe(`IM${'0'.repeat(32)}`);
    expect(m.author).toBe('bob');
    expect(m.body).toBe('body 0');
    expect(m.attributes).toEqual({ t: 1.5, tags: ['a'] });
    expect(m.attributes).toBe(m.attributes);
    expect(m.dateCreated).toEqual(new Date('2026-11-24T10:00:00.000Z'));
    expect(m.type).toBe('text');
    expect(m.index).toBe(0);
    channel._dispose();
  });

  it('a message from a typing member ends the typing first; members joined or left later are found by identity', async () => {
    const { channel, events } = setup([memberWire(1, 'bob'), memberWire(2, 'carol')], null);
    await channel.getMembers();
    await channel._typingStarted('bob');
    channel._messageAdded(messageWire(0, 'bob'));
    expect(events).toEqual(['typingEnded:bob', 'added:0:bob', 'updated:lastMessage']);

    events.length = 0;
    channel._memberJoined(memberWire(3, 'dave'));
    await channel._typingStarted('dave');
    channel._memberLeft(memberWire(2, 'carol'));
    channel._messageAdded(messageWire(1, 'dave'));
    channel._messageAdded(messageWire(2, 'carol'));
    expect(events).toEqual(['typingEnded:dave', 'added:1:dave', 'updated:lastMessage', 'added:2:carol', 'updated:lastMessage']);
    expect((await channel.getMembers()).map((m) => m.identity)).toEqual(['bob', 'dave']);
    channel._dispose();
  });
});
