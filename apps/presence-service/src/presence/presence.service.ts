import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type {
  ConnectionClose,
  ConnectionOpen,
  NodeHeartbeatReply,
  NodeReply,
  NodeSync,
  UserNotifiableEvent,
  UserReachability,
} from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { Metrics, ROOT_LOGGER } from '@parley/platform';
import { PRESENCE_CONFIG } from '../config/presence-config.module';
import type { PresenceConfig } from '../config/presence.config';
import { reachabilityChange, reachabilityView } from './presence-state';
import { PresenceRepository, type UserChange } from './presence.repository';

/** Connections one sweep script removes at a time, so a large dead node never blocks Redis for long. */
const SWEEP_BATCH = 500;

/**
 * Reachability (DESIGN.md §5): records what gateways and message-service report, and publishes each transition
 * the records produce on `presence.v1.evt.<IS>.user.reachability` — for Services with reachability enabled only.
 * Connections are recorded whatever the flag, so turning it on starts from the live connections.
 */
@Injectable()
export class PresenceService {
  private readonly transitions: Counter<'transition' | 'published'>;
  private readonly swept: Counter;

  constructor(
    private readonly store: PresenceRepository,
    private readonly nats: NatsTransport,
    @Inject(PRESENCE_CONFIG) private readonly config: PresenceConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.transitions = new Counter({
      name: 'parley_presence_transitions_total',
      help: 'Reachability transitions, by kind, and whether they were published (reachability enabled)',
      labelNames: ['transition', 'published'],
      registers: [metrics.registry],
    });
    this.swept = new Counter({
      name: 'parley_presence_swept_connections_total',
      help: 'Connections removed because their gateway node stopped heartbeating',
      registers: [metrics.registry],
    });
  }

  async open(c: ConnectionOpen): Promise<NodeReply> {
    const { known, changes } = await this.store.open(c, Date.now());
    this.announce(changes);
    return { resync: !known };
  }

  async close(c: ConnectionClose): Promise<NodeReply> {
    const { known, changes } = await this.store.close(c, Date.now());
    this.announce(changes);
    return { resync: !known };
  }

  async heartbeat(nodeId: string, connections: number | undefined): Promise<NodeHeartbeatReply> {
    const { known, countDiffers } = await this.store.heartbeat(nodeId, connections);
    return { resync: !known || countDiffers, ttlMs: this.config.PRESENCE_NODE_TTL_MS };
  }

  /**
   * A gateway shutting down cleanly: its connections stay for one node TTL, while its users reconnect to other
   * replicas (no offline blip for them); then the sweeper removes what is left, as for a crash.
   */
  async drain(nodeId: string): Promise<{ graceMs: number }> {
    const graceMs = this.config.PRESENCE_NODE_TTL_MS;
    await this.store.drain(nodeId, graceMs);
    this.logger.info({ nodeId, graceMs }, 'gateway node draining');
    return { graceMs };
  }

  async sync(batch: NodeSync): Promise<NodeReply> {
    this.announce(await this.store.sync(batch, Date.now()));
    if (batch.done) this.logger.info({ nodeId: batch.nodeId, syncId: batch.syncId }, 'gateway node resynced');
    return { resync: false };
  }

  async notifiableChanged(serviceSid: string, event: UserNotifiableEvent): Promise<void> {
    this.announce(await this.store.setNotifiable(serviceSid, event.identity, event.is_notifiable, event.observed_at));
  }

  async reachability(serviceSid: string, identities: string[], enabled: boolean): Promise<UserReachability[]> {
    const read = await this.store.reachability(serviceSid, enabled, identities, Date.now());
    return read.users.map((u) => ({
      identity: u.identity,
      ...reachabilityView({ enabled: read.enabled, enabledSince: read.enabledSince, ...u }),
    }));
  }

  async reachabilityToggled(serviceSid: string, enabled: boolean): Promise<void> {
    await this.store.setReachabilityEnabled(serviceSid, enabled, Date.now());
  }

  async serviceRemoved(serviceSid: string): Promise<void> {
    await this.store.forgetService(serviceSid);
  }

  async userRemoved(serviceSid: string, identity: string): Promise<void> {
    await this.store.forgetUser(serviceSid, identity);
  }

  /**
   * Removes the connections of every node whose liveness key expired, and announces the offline transitions.
   * Safe on every replica at once: each script pops disjoint connections, so each transition is announced once.
   */
  async sweep(): Promise<number> {
    let removed = 0;
    for (const nodeId of await this.store.nodes()) {
      for (;;) {
        const { remaining, changes } = await this.store.sweepNode(nodeId, Date.now(), SWEEP_BATCH);
        removed += changes.length;
        this.announce(changes);
        if (remaining <= 0) break;
      }
    }
    if (removed) {
      this.swept.inc(removed);
      this.logger.info({ removed }, 'swept connections of dead gateway nodes');
    }
    return removed;
  }

  /** Publishes the transitions among `changes` (the state is committed in Redis already: a failed publish is logged). */
  private announce(changes: UserChange[]): void {
    for (const c of changes) {
      const change = reachabilityChange(c.before, c.after);
      if (!change) continue;
      const published = String(c.reachabilityEnabled);
      for (const reason of change.reasons) {
        const transition =
          reason === 'reachabilityOnline' ? (change.is_online ? 'online' : 'offline') : change.is_notifiable ? 'notifiable' : 'not_notifiable';
        this.transitions.inc({ transition, published });
      }
      if (!c.reachabilityEnabled) continue;
      try {
        this.nats.publishPresenceEvent(c.serviceSid, 'user.reachability', { identity: c.identity, ...change });
      } catch (err) {
        this.logger.error({ err, serviceSid: c.serviceSid }, 'reachability transition not published');
      }
    }
  }
}
