import { z } from 'zod';
import { sidSchema } from '../sid';
import { USER_IDENTITY_MAX_LENGTH } from './user';

/*
 * presence-service (DESIGN.md §5): gateways report connections and node liveness (commands), message-service
 * reports push notifiability (the `user.notifiable` domain event), and presence answers reachability queries and
 * publishes transitions. These commands are between services, never on behalf of an actor: no caller envelope.
 */

const identity = z.string().min(1).max(USER_IDENTITY_MAX_LENGTH);
/** A gateway replica's id (per boot, see resolveNodeId): one Redis key token, so no ':' or spaces. */
const nodeId = z.string().regex(/^[A-Za-z0-9_.-]{1,255}$/, 'letters, digits, "_", "-" and "." only');
/** A connection's id, unique across the cluster (the Socket.IO socket id). */
const connectionId = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'letters, digits, "_", "-" and "." only');

/** Connections one `node.sync` batch carries (a gateway with more sends several batches). */
export const NODE_SYNC_BATCH = 500;
/** Identities one reachability query may ask about. */
export const REACHABILITY_QUERY_MAX = 100;

export const connectionOpenSchema = z.object({
  serviceSid: sidSchema('IS'),
  identity,
  nodeId,
  connectionId,
  /** The Service's flag as the handshake read it: presence adopts it only while it knows no fresher value. */
  reachabilityEnabled: z.boolean(),
});
export type ConnectionOpen = z.infer<typeof connectionOpenSchema>;

export const connectionCloseSchema = z.object({ serviceSid: sidSchema('IS'), identity, nodeId, connectionId });
export type ConnectionClose = z.infer<typeof connectionCloseSchema>;

/**
 * `resync`: presence did not know the node as live (its liveness key had expired, so its connections may have been
 * swept): the gateway must send its whole connection list with `node.sync`.
 */
export const nodeReplySchema = z.object({ resync: z.boolean() });
export type NodeReply = z.infer<typeof nodeReplySchema>;

export const nodeHeartbeatSchema = z.object({
  nodeId,
  /** The gateway's connection count, sent when it has no report in flight: a mismatch asks for a resync. */
  connections: z.number().int().min(0).optional(),
});

/** `ttlMs`: the node liveness TTL; the gateway beats several times within it. */
export const nodeHeartbeatReplySchema = nodeReplySchema.extend({ ttlMs: z.number().int().positive() });
export type NodeHeartbeatReply = z.infer<typeof nodeHeartbeatReplySchema>;

/** A clean shutdown: presence keeps the node's connections for `graceMs`, so users reconnecting elsewhere stay online. */
export const nodeDrainSchema = z.object({ nodeId });
export const nodeDrainReplySchema = z.object({ graceMs: z.number().int().positive() });

/**
 * One batch of a node's full connection list. Every batch of one sync shares `syncId`; the last one has
 * `done: true`, and presence then removes the node's connections that no batch listed.
 */
export const nodeSyncSchema = z.object({
  nodeId,
  syncId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  connections: z.array(z.object({ connectionId, serviceSid: sidSchema('IS'), identity })).max(NODE_SYNC_BATCH),
  done: z.boolean(),
});
export type NodeSync = z.infer<typeof nodeSyncSchema>;

/** REST Fetch User and the SDK's getUser: the reachability of some users of a Service. */
export const userReachabilityQuerySchema = z.object({
  serviceSid: sidSchema('IS'),
  identities: z.array(identity).min(1).max(REACHABILITY_QUERY_MAX),
  /** The Service's flag as the caller just read it from the database (adopted like `connection.open`'s). */
  reachabilityEnabled: z.boolean(),
});

/** Null while the Service's reachability is off, or (is_online) the user was not online since it was turned on. */
export const userReachabilitySchema = z.object({
  identity,
  is_online: z.boolean().nullable(),
  is_notifiable: z.boolean().nullable(),
});
export type UserReachability = z.infer<typeof userReachabilitySchema>;

export const userReachabilityReplySchema = z.array(userReachabilitySchema);

/**
 * The domain event `chat.v1.evt.<IS>.user.notifiable`, published by message-service after a push binding change
 * commits: whether the user now has at least one binding. `observed_at` is the database clock (ms) when that was
 * read: presence-service ignores a report older than the one it holds (replicas may deliver out of order).
 */
export const userNotifiableEventSchema = z.object({
  identity,
  is_notifiable: z.boolean(),
  observed_at: z.number().int().min(0),
});
export type UserNotifiableEvent = z.infer<typeof userNotifiableEventSchema>;

/** Conversations' `UserUpdateReason`s for reachability. */
export const REACHABILITY_REASONS = ['reachabilityOnline', 'reachabilityNotifiable'] as const;
export type ReachabilityReason = (typeof REACHABILITY_REASONS)[number];

/** `presence.v1.evt.<IS>.user.reachability`: a transition, published only for Services with reachability enabled. */
export const reachabilityEventSchema = z.object({
  identity,
  is_online: z.boolean(),
  is_notifiable: z.boolean().nullable(),
  reasons: z.array(z.enum(REACHABILITY_REASONS)).min(1),
});
export type ReachabilityEvent = z.infer<typeof reachabilityEventSchema>;
