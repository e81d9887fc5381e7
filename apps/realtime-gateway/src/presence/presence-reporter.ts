import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { NODE_SYNC_BATCH, type NodeReply } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { PLATFORM_OPTIONS, ROOT_LOGGER, type PlatformOptions } from '@parley/platform';
import type { SocketSession } from '../session/socket-session';

/** Until presence has told us its node TTL (it answers every heartbeat with it). */
const DEFAULT_HEARTBEAT_MS = 3_000;
const DRAIN_TIMEOUT_MS = 2_000;

/**
 * This gateway node's side of presence (DESIGN.md §5): reports each socket's connect and disconnect, beats the
 * node's liveness three times per presence's node TTL, resyncs its whole connection list when presence lost
 * track of it, and drains on a clean shutdown.
 *
 * Every connection is reported, whatever its Service's reachability_enabled: only presence-service's published
 * transitions depend on the flag, so turning it on starts from the live connections.
 *
 * Reports of one connection are sent in order (a close never overtakes its open). A resync holds back reports
 * made after it starts and waits for those made before, so the list it sends and the reports around it agree.
 */
@Injectable()
export class PresenceReporter implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly nodeId: string;
  /** This node's live connections: what a heartbeat counts and a resync sends. */
  private readonly local = new Map<string, { serviceSid: string; identity: string }>();
  /** The last report in flight per connection. */
  private readonly pending = new Map<string, Promise<void>>();
  /** Reports wait on this while a resync runs. */
  private gate: Promise<void> = Promise.resolve();
  private resyncNeeded = false;
  private draining = false;
  private heartbeatMs = DEFAULT_HEARTBEAT_MS;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly nats: NatsTransport,
    @Inject(PLATFORM_OPTIONS) platform: PlatformOptions,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.nodeId = platform.nodeId;
  }

  /** The first heartbeat goes before any socket is accepted, so presence knows the node when its reports come. */
  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
  }

  /**
   * A clean shutdown (Nest runs this before any beforeApplicationShutdown hook, i.e. before the sockets are
   * disconnected): stop reporting, so the disconnects to come mark nobody offline, and ask presence to keep this
   * node's connections for a grace period while their users reconnect to other replicas.
   */
  async onModuleDestroy(): Promise<void> {
    this.draining = true;
    if (this.timer) clearTimeout(this.timer);
    try {
      const { graceMs } = await this.nats.request('presence.v1.cmd.node.drain', { nodeId: this.nodeId }, { timeoutMs: DRAIN_TIMEOUT_MS });
      this.logger.info({ graceMs }, 'presence: node draining');
    } catch (err) {
      // Presence then treats the node as crashed: its users go offline one node TTL after the last heartbeat.
      this.logger.warn({ err }, 'presence: drain not acknowledged');
    }
  }

  /** Call once a socket is accepted (its session is verified). */
  connected(session: SocketSession, socketId: string): void {
    if (this.draining) return;
    const { serviceSid, identity } = session;
    this.local.set(socketId, { serviceSid, identity });
    this.report(socketId, () =>
      this.nats.request('presence.v1.cmd.connection.open', {
        serviceSid,
        identity,
        nodeId: this.nodeId,
        connectionId: socketId,
        reachabilityEnabled: session.reachabilityEnabled,
      }),
    );
  }

  /** Call when that socket disconnects. While draining, nothing is sent: presence keeps the record for the grace. */
  disconnected(session: SocketSession, socketId: string): void {
    if (this.draining || !this.local.delete(socketId)) return;
    this.report(socketId, () =>
      this.nats.request('presence.v1.cmd.connection.close', {
        serviceSid: session.serviceSid,
        identity: session.identity,
        nodeId: this.nodeId,
        connectionId: socketId,
      }),
    );
  }

  /** Sends a report after the previous one of the same connection (and after a resync that started before it). */
  private report(socketId: string, send: () => Promise<NodeReply>): void {
    const gate = this.gate;
    const previous = this.pending.get(socketId) ?? Promise.resolve();
    const next = previous
      .then(() => gate)
      .then(send)
      .then(
        (reply) => {
          if (reply.resync) this.resyncNeeded = true;
        },
        (err: unknown) => {
          // Presence may have missed it: the next heartbeat resends the whole list.
          this.resyncNeeded = true;
          this.logger.warn({ err, socket: socketId }, 'presence: report failed; will resync');
        },
      )
      .finally(() => {
        if (this.pending.get(socketId) === next) this.pending.delete(socketId);
      });
    this.pending.set(socketId, next);
  }

  private async beat(): Promise<void> {
    try {
      const reply = await this.nats.request(
        'presence.v1.cmd.node.heartbeat',
        // The count is only comparable when no report is in flight.
        { nodeId: this.nodeId, connections: this.pending.size === 0 ? this.local.size : undefined },
        { timeoutMs: this.heartbeatMs },
      );
      this.heartbeatMs = Math.max(100, Math.floor(reply.ttlMs / 3));
      if (reply.resync) this.resyncNeeded = true;
      if (this.resyncNeeded && !this.draining) await this.resync();
    } catch (err) {
      this.resyncNeeded = true;
      this.logger.warn({ err }, 'presence: heartbeat failed');
    } finally {
      if (!this.draining) this.timer = setTimeout(() => void this.beat(), this.heartbeatMs);
    }
  }

  /** Sends presence this node's whole connection list (in batches); presence drops the connections not in it. */
  private async resync(): Promise<void> {
    this.resyncNeeded = false;
    const before = [...this.pending.values()];
    let release = () => {};
    this.gate = new Promise<void>((resolve) => (release = resolve));
    try {
      await Promise.allSettled(before);
      const connections = [...this.local].map(([connectionId, c]) => ({ connectionId, ...c }));
      const syncId = randomBytes(8).toString('hex');
      for (let i = 0; i === 0 || i < connections.length; i += NODE_SYNC_BATCH) {
        const batch = connections.slice(i, i + NODE_SYNC_BATCH);
        const done = i + NODE_SYNC_BATCH >= connections.length;
        await this.nats.request('presence.v1.cmd.node.sync', { nodeId: this.nodeId, syncId, connections: batch, done });
      }
      this.logger.info({ connections: connections.length }, 'presence: node resynced');
    } catch (err) {
      this.resyncNeeded = true;
      this.logger.warn({ err }, 'presence: resync failed; retrying on the next heartbeat');
    } finally {
      release();
    }
  }
}
