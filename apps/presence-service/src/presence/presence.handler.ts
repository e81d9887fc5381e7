import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/presence.config';
import { PresenceService } from './presence.service';

/** NATS entry points of presence-service: validated by the transport, one service call each. */
@Injectable()
export class PresenceHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly presence: PresenceService,
  ) {}

  onApplicationBootstrap(): void {
    const n = this.nats;
    n.serve('presence.v1.cmd.connection.open', QUEUE_GROUP, (c) => this.presence.open(c));
    n.serve('presence.v1.cmd.connection.close', QUEUE_GROUP, (c) => this.presence.close(c));
    n.serve('presence.v1.cmd.node.heartbeat', QUEUE_GROUP, (h) => this.presence.heartbeat(h.nodeId, h.connections));
    n.serve('presence.v1.cmd.node.sync', QUEUE_GROUP, (batch) => this.presence.sync(batch));
    n.serve('presence.v1.cmd.node.drain', QUEUE_GROUP, (d) => this.presence.drain(d.nodeId));
    n.serve('presence.v1.cmd.user.reachability', QUEUE_GROUP, (q) => this.presence.reachability(q.serviceSid, q.identities, q.reachabilityEnabled));
  }
}
