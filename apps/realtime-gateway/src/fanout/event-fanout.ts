import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { NatsTransport } from '@parley/nats';
import { Metrics, ROOT_LOGGER } from '@parley/platform';
import { SocketServer } from '../socket/socket-server';
import { planFanout, type FanoutAction, type RoutableEvent } from './fanout-plan';

/**
 * Delivers domain events to sockets. Every replica subscribes (no queue group) and emits each event to its OWN
 * sockets only (`io.local`): each socket hears each event once, from the replica that holds it, straight from
 * NATS. (The other consistent pairing — one replica per event in a queue group, emitting through the Redis
 * adapter to every replica — costs a Redis publish per event, a Redis read and decode on the other replicas, and
 * makes the emitting replica's own sockets wait for the publish's reply. Mixing the two — a queue group with local
 * emits, or every replica emitting through the adapter — would lose or duplicate events.)
 * Room moves are local too: each replica moves its own sockets, in the same order as the events that follow.
 */
@Injectable()
export class EventFanout {
  private readonly delivered: Counter<'event'>;

  constructor(
    private readonly nats: NatsTransport,
    private readonly sockets: SocketServer,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.delivered = new Counter({
      name: 'parley_events_fanned_out_total',
      help: 'Domain events emitted to sockets, by event',
      labelNames: ['event'],
      registers: [metrics.registry],
    });
  }

  start(): void {
    this.nats.subscribeEvents(undefined, ({ name, serviceSid, payload }) => {
      const actions = planFanout({ name, serviceSid, payload: payload as RoutableEvent['payload'] });
      let emitted = false;
      for (const action of actions) emitted = this.execute(action) || emitted;
      if (emitted) this.counter(name).inc();
    });
  }

  private readonly counters = new Map<string, Counter.Internal>();

  private counter(event: string): Counter.Internal {
    let counter = this.counters.get(event);
    if (!counter) this.counters.set(event, (counter = this.delivered.labels({ event })));
    return counter;
  }

  /** Returns whether sockets of this replica were addressed. */
  private execute(action: FanoutAction): boolean {
    const io = this.sockets.io;
    const held = io.sockets.adapter.rooms;
    switch (action.kind) {
      case 'emit':
        // A room without sockets here is skipped before the packet is encoded for nobody.
        if (!action.rooms.some((room) => held.has(room))) return false;
        io.local.to(action.rooms).emit(action.event, action.payload);
        return true;
      case 'join':
        if (!held.has(action.fromRoom)) return false;
        io.local.in(action.fromRoom).socketsJoin(action.room);
        return true;
      case 'leave':
        if (!held.has(action.fromRoom)) return false;
        io.local.in(action.fromRoom).socketsLeave(action.room);
        return true;
      default:
        this.logger.warn({ action }, 'unknown fan-out action');
        return false;
    }
  }
}
