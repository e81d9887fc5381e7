import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { NatsTransport } from '@parley/nats';
import { Metrics, ROOT_LOGGER } from '@parley/platform';
import { QUEUE_GROUP } from '../config/realtime.config';
import { SocketServer } from '../socket/socket-server';
import { planFanout, type FanoutAction, type RoutableEvent } from './fanout-plan';

/**
 * Delivers domain events to sockets. The replicas subscribe in ONE queue group, so exactly one replica
 * handles each event and emits it through the Redis adapter, which reaches the room's sockets on every
 * replica. (A plain subscription with adapter emits, or a queue group with local emits, would duplicate
 * or lose events.)
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
    this.nats.subscribeEvents(QUEUE_GROUP, async ({ name, serviceSid, payload }) => {
      const actions = planFanout({ name, serviceSid, payload: payload as RoutableEvent['payload'] });
      for (const action of actions) this.execute(action);
      if (actions.length) this.delivered.inc({ event: name });
    });
  }

  private execute(action: FanoutAction): void {
    const io = this.sockets.io;
    switch (action.kind) {
      case 'emit':
        io.to(action.rooms).emit(action.event, action.payload);
        return;
      case 'join':
        io.in(action.fromRoom).socketsJoin(action.room);
        return;
      case 'leave':
        io.in(action.fromRoom).socketsLeave(action.room);
        return;
      default:
        this.logger.warn({ action }, 'unknown fan-out action');
    }
  }
}
