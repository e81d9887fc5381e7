import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { ConnectionClose, ConnectionOpen, NodeSync } from '@parley/contracts';
import { InjectRedis } from '@parley/redis';
import { PRESENCE_CONFIG } from '../config/presence-config.module';
import type { PresenceConfig } from '../config/presence.config';
import type { PresenceSnapshot } from './presence-state';
import * as lua from './presence.scripts';

/** Every presence key lives under the configured Redis prefix plus this. */
const NAMESPACE = 'presence:';
/** How long a user's last sighting and notifiability outlive its last connection. */
export const STATE_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** A user whose connections or notifiability a script changed: the facts before and after, for presence-state. */
export interface UserChange {
  serviceSid: string;
  identity: string;
  before: PresenceSnapshot;
  after: PresenceSnapshot;
  /** The Service's reachability_enabled as presence knows it (false when unknown). */
  reachabilityEnabled: boolean;
}

/** What a reachability query reads, per user, with the Service's flag. */
export interface ReachabilityRead {
  enabled: boolean;
  enabledSince: number | null;
  users: { identity: string; connections: number; lastSeen: number | null; notifiable: boolean | null }[];
}

type Script = (...args: (string | number)[]) => Promise<unknown>;
type ChangeRow = [string, string, number, number, string, string, string];

const flag = (on: boolean) => (on ? '1' : '0');
const notifiableOf = (held: string): boolean | null => (held === '' ? null : held === '1');
const numberOrNull = (held: string): number | null => (held === '' ? null : Number(held));

/**
 * The presence state in Redis (layout and atomicity in presence.scripts.ts). Each method is one script call;
 * callers get back the facts a change produced and decide what they mean (presence-state.ts).
 */
@Injectable()
export class PresenceRepository {
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly scripts: Record<
    'open' | 'close' | 'heartbeat' | 'drain' | 'sync' | 'sweepNode' | 'notifiable' | 'serviceFlag' | 'reachability' | 'forgetUser' | 'forgetService',
    Script
  >;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    @Inject(PRESENCE_CONFIG) config: PresenceConfig,
  ) {
    // Scripts build their keys themselves, so they get ioredis' key prefix as an argument.
    this.prefix = `${redis.options.keyPrefix ?? ''}${NAMESPACE}`;
    this.ttlMs = config.PRESENCE_NODE_TTL_MS;
    const define = (name: string, source: string): Script => {
      redis.defineCommand(name, { numberOfKeys: 0, lua: source });
      const command = (redis as unknown as Record<string, Script>)[name] as Script;
      return (...args) => command.call(redis, this.prefix, ...args);
    };
    this.scripts = {
      open: define('presenceOpen', lua.OPEN),
      close: define('presenceClose', lua.CLOSE),
      heartbeat: define('presenceHeartbeat', lua.HEARTBEAT),
      drain: define('presenceDrain', lua.DRAIN),
      sync: define('presenceSync', lua.SYNC),
      sweepNode: define('presenceSweepNode', lua.SWEEP_NODE),
      notifiable: define('presenceNotifiable', lua.NOTIFIABLE),
      serviceFlag: define('presenceServiceFlag', lua.SERVICE_FLAG),
      reachability: define('presenceReachability', lua.REACHABILITY),
      forgetUser: define('presenceForgetUser', lua.FORGET_USER),
      forgetService: define('presenceForgetService', lua.FORGET_SERVICE),
    };
  }

  /** `known`: the node was live before this call (else it must resync). */
  async open(c: ConnectionOpen, now: number): Promise<{ known: boolean; changes: UserChange[] }> {
    const [known, rows] = (await this.scripts.open(
      now, this.ttlMs, STATE_RETENTION_MS, c.nodeId, c.connectionId, c.serviceSid, c.identity, flag(c.reachabilityEnabled),
    )) as [number, ChangeRow[]];
    return { known: known === 1, changes: rows.map(toChange) };
  }

  async close(c: ConnectionClose, now: number): Promise<{ known: boolean; changes: UserChange[] }> {
    const [known, rows] = (await this.scripts.close(now, this.ttlMs, STATE_RETENTION_MS, c.nodeId, c.connectionId)) as [number, ChangeRow[]];
    return { known: known === 1, changes: rows.map(toChange) };
  }

  /** Refreshes the node's liveness. `countDiffers`: presence holds another number of connections for it. */
  async heartbeat(nodeId: string, connections: number | undefined): Promise<{ known: boolean; countDiffers: boolean }> {
    const [known, differs] = (await this.scripts.heartbeat(this.ttlMs, nodeId, connections ?? '')) as [number, number];
    return { known: known === 1, countDiffers: differs === 1 };
  }

  async drain(nodeId: string, graceMs: number): Promise<void> {
    await this.scripts.drain(nodeId, graceMs);
  }

  async sync(batch: NodeSync, now: number): Promise<UserChange[]> {
    const entries = batch.connections.flatMap((c) => [c.connectionId, c.serviceSid, c.identity]);
    const rows = (await this.scripts.sync(now, this.ttlMs, STATE_RETENTION_MS, batch.nodeId, batch.syncId, flag(batch.done), ...entries)) as ChangeRow[];
    return rows.map(toChange);
  }

  /** Node ids with state here, live or not. */
  nodes(): Promise<string[]> {
    return this.redis.smembers(`${NAMESPACE}nodes`);
  }

  /** Removes up to `batch` connections of a node whose liveness expired. `remaining`: -1 if the node is live. */
  async sweepNode(nodeId: string, now: number, batch: number): Promise<{ remaining: number; changes: UserChange[] }> {
    const [remaining, rows] = (await this.scripts.sweepNode(now, STATE_RETENTION_MS, nodeId, batch)) as [number, ChangeRow[]];
    return { remaining, changes: rows.map(toChange) };
  }

  async setNotifiable(serviceSid: string, identity: string, notifiable: boolean, observedAt: number): Promise<UserChange[]> {
    const rows = (await this.scripts.notifiable(STATE_RETENTION_MS, serviceSid, identity, flag(notifiable), observedAt)) as ChangeRow[];
    return rows.map(toChange);
  }

  async setReachabilityEnabled(serviceSid: string, enabled: boolean, now: number): Promise<void> {
    await this.scripts.serviceFlag(serviceSid, flag(enabled), now);
  }

  async reachability(serviceSid: string, enabled: boolean, identities: readonly string[], now: number): Promise<ReachabilityRead> {
    const out = (await this.scripts.reachability(serviceSid, flag(enabled), now, ...identities)) as (string | number)[];
    return {
      enabled: out[0] === '1',
      enabledSince: numberOrNull(String(out[1])),
      users: identities.map((identity, i) => ({
        identity,
        connections: Number(out[2 + i * 3]),
        lastSeen: numberOrNull(String(out[3 + i * 3])),
        notifiable: notifiableOf(String(out[4 + i * 3])),
      })),
    };
  }

  async forgetUser(serviceSid: string, identity: string): Promise<void> {
    await this.scripts.forgetUser(serviceSid, identity);
  }

  async forgetService(serviceSid: string): Promise<void> {
    await this.scripts.forgetService(serviceSid);
  }
}

function toChange([serviceSid, identity, before, after, notifiableBefore, notifiableAfter, on]: ChangeRow): UserChange {
  return {
    serviceSid,
    identity,
    before: { connections: before, notifiable: notifiableOf(notifiableBefore) },
    after: { connections: after, notifiable: notifiableOf(notifiableAfter) },
    reachabilityEnabled: on === '1',
  };
}
