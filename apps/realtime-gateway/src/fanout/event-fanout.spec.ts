import type { Logger } from 'pino';
import type { NatsTransport } from '@parley/nats';
import type { Metrics } from '@parley/platform';
import { Registry } from 'prom-client';
import type { SocketServer } from '../socket/socket-server';
import { EventFanout } from './event-fanout';

const IS = `IS${'a'.repeat(32)}`;
const CH = `CH${'b'.repeat(32)}`;
const channelRoom = `channel:${IS}:${CH}`;
const aliceRoom = `user:${IS}:alice`;

type Handler = (event: { name: string; serviceSid: string; payload: unknown; correlationId: string }) => unknown;

function setup(held: string[]) {
  const subscriptions: { queue: string | undefined; handler: Handler }[] = [];
  const nats = {
    subscribeEvents: (queue: string | undefined, handler: Handler) => subscriptions.push({ queue, handler }),
  } as unknown as NatsTransport;
  const calls: string[] = [];
  const rooms = new Map(held.map((room) => [room, new Set(['s1'])]));
  const io = {
    sockets: { adapter: { rooms } },
    local: {
      to: (to: string[]) => ({ emit: (event: string) => calls.push(`local emit ${event} -> ${to.join(',')}`) }),
      in: (from: string) => ({
        socketsJoin: (room: string) => calls.push(`local join ${from} => ${room}`),
        socketsLeave: (room: string) => calls.push(`local leave ${from} => ${room}`),
      }),
    },
    to: () => calls.push('adapter emit'),
    in: () => calls.push('adapter room op'),
  };
  const sockets = { io } as unknown as SocketServer;
  const logger = { warn: () => undefined } as unknown as Logger;
  const fanout = new EventFanout(nats, sockets, logger, { registry: new Registry() } as unknown as Metrics);
  fanout.start();
  const deliver = (name: string, payload: unknown) => subscriptions[0].handler({ name, serviceSid: IS, payload, correlationId: 'c' });
  return { subscriptions, calls, deliver };
}

describe('EventFanout', () => {
  it('every replica subscribes without a queue group and emits to its own sockets only', () => {
    const { subscriptions, calls, deliver } = setup([channelRoom, aliceRoom]);
    expect(subscriptions.map((s) => s.queue)).toEqual([undefined]);
    deliver('member.added', { sid: 'MB1', channel_sid: CH, identity: 'alice' });
    deliver('message.added', { sid: 'IM1', channel_sid: CH, index: 0 });
    expect(calls).toEqual([
      `local join ${aliceRoom} => ${channelRoom}`,
      `local emit memberJoined -> ${channelRoom}`,
      `local emit channelJoined -> ${aliceRoom}`,
      `local emit messageAdded -> ${channelRoom}`,
    ]);
  });

  it('skips rooms without sockets on this replica', () => {
    const { calls, deliver } = setup([aliceRoom]);
    deliver('message.added', { sid: 'IM1', channel_sid: CH, index: 0 });
    deliver('member.removed', { channel_sid: CH, identity: 'bob' });
    deliver('member.removed', { channel_sid: CH, identity: 'alice' });
    expect(calls).toEqual([`local emit channelLeft -> ${aliceRoom}`, `local leave ${aliceRoom} => ${channelRoom}`]);
  });
});
