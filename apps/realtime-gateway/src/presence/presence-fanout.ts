import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Counter } from 'prom-client';
import { rooms } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { Metrics } from '@parley/platform';
import { QUEUE_GROUP } from '../config/realtime.config';
import { SocketServer } from '../socket/socket-server';

/**
 * Delivers reachability transitions (`presence.v1.evt.<IS>.user.reachability`) to the sockets subscribed to that
 * user (getUser) and to the user's own sockets, as a partial `userUpdated` the SDK merges. Same rule as domain
 * events: one queue group across the replicas, emitted through the Redis adapter, so each socket gets it once.
 */
@Injectable()
export class PresenceFanout implements OnApplicationBootstrap {
  private readonly delivered: Counter;

  constructor(
    private readonly nats: NatsTransport,
    private readonly sockets: SocketServer,
    metrics: Metrics,
  ) {
    this.delivered = new Counter({
      name: 'parley_presence_events_fanned_out_total',
      help: 'Reachability transitions emitted to sockets',
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    this.nats.subscribePresenceEvents(QUEUE_GROUP, ({ serviceSid, payload }) => {
      const { identity, is_online, is_notifiable } = payload;
      this.sockets.io
        .to([rooms.presence(serviceSid, identity), rooms.user(serviceSid, identity)])
        .emit('userUpdated', { identity, is_online, is_notifiable });
      this.delivered.inc();
    });
  }
}
