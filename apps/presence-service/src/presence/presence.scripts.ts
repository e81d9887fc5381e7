/*
 * The presence state in Redis, changed only by these Lua scripts: each runs atomically, so connects and disconnects
 * of one user on different nodes, sweeps by several replicas and node resyncs interleave without ever leaving a user's
 * connection set, a node's connection set and the connection records out of step.
 *
 * Keys (under the configured prefix + `presence:`; computed inside the scripts, so presence needs a single Redis
 * rather than a cluster):
 *   c:<connection>         hash  node, svc, id (identity), at (connected, ms), sync (last resync id)
 *   u:<IS>:<identity>      set   the user's live connection ids
 *   s:<IS>:<identity>      hash  seen (last instant known online, ms), ntf ('1'|'0': has a push binding), ntfAt (db ms)
 *                                no TTL while online; kept STATE_RETENTION_MS after the user goes offline
 *   n:<node>               string the node's liveness: '1', or 'd' once it drains; PX = its TTL / the drain grace
 *   nc:<node>              set   the node's connection ids (what a sweep removes)
 *   nodes                  set   node ids with state here (what the sweeper looks at)
 *   svc:<IS>               hash  on ('1'|'0': reachability_enabled), since (ms it was seen turned on)
 *
 * Scripts that change users return `changes`: one row per user touched,
 * { serviceSid, identity, connectionsBefore, connectionsAfter, notifiableBefore, notifiableAfter, reachabilityOn }
 * with notifiability as '1' | '0' | '' (unknown) and reachabilityOn as '1' | '0' | '' (unknown).
 */

const COMMON = `
local P = ARGV[1]
local function conn_key(id) return P .. 'c:' .. id end
local function user_key(svc, identity) return P .. 'u:' .. svc .. ':' .. identity end
local function state_key(svc, identity) return P .. 's:' .. svc .. ':' .. identity end
local function node_key(node) return P .. 'n:' .. node end
local function node_conns_key(node) return P .. 'nc:' .. node end
local function svc_key(svc) return P .. 'svc:' .. svc end
local NODES = P .. 'nodes'

local changes = {}
local function report(svc, identity, before, after, nb, na)
  local on = redis.call('HGET', svc_key(svc), 'on') or ''
  table.insert(changes, { svc, identity, before, after, nb, na, on })
end

-- A live node's proof of life. Returns 1 if the node was live already, 0 if presence had let it expire
-- (its connections may have been swept: the caller must resync). A draining node keeps its short grace.
local function touch(node, ttl)
  local alive = redis.call('GET', node_key(node))
  if alive ~= 'd' then redis.call('SET', node_key(node), '1', 'PX', ttl) end
  redis.call('SADD', NODES, node)
  if alive then return 1 end
  return 0
end

-- The Service's flag as a gateway or message-service just read it: adopted only when presence holds none
-- (service.updated events overwrite it, and they are fresher than any read in flight).
local function adopt(svc, flag, now)
  if flag == '' then return end
  if redis.call('HSETNX', svc_key(svc), 'on', flag) == 1 and flag == '1' then
    redis.call('HSET', svc_key(svc), 'since', now)
  end
end

local function add(id, node, svc, identity, now)
  local uk = user_key(svc, identity)
  local before = redis.call('SCARD', uk)
  redis.call('SADD', uk, id)
  redis.call('HSET', conn_key(id), 'node', node, 'svc', svc, 'id', identity, 'at', now)
  redis.call('SADD', node_conns_key(node), id)
  local sk = state_key(svc, identity)
  redis.call('HSET', sk, 'seen', now)
  redis.call('PERSIST', sk)
  local ntf = redis.call('HGET', sk, 'ntf') or ''
  report(svc, identity, before, redis.call('SCARD', uk), ntf, ntf)
end

-- Removes a connection record and its set memberships; with only_node, only if it belongs to that node.
local function drop(id, now, retention, only_node)
  local rec = redis.call('HMGET', conn_key(id), 'node', 'svc', 'id')
  local node, svc, identity = rec[1], rec[2], rec[3]
  if not node then return end
  if only_node and node ~= only_node then return end
  local uk = user_key(svc, identity)
  local before = redis.call('SCARD', uk)
  redis.call('SREM', uk, id)
  redis.call('SREM', node_conns_key(node), id)
  redis.call('DEL', conn_key(id))
  local after = redis.call('SCARD', uk)
  local sk = state_key(svc, identity)
  redis.call('HSET', sk, 'seen', now)
  if after == 0 then redis.call('PEXPIRE', sk, retention) end
  local ntf = redis.call('HGET', sk, 'ntf') or ''
  report(svc, identity, before, after, ntf, ntf)
end

-- Registers a connection; a repeated identical open changes nothing.
local function upsert(id, node, svc, identity, now, retention)
  local rec = redis.call('HMGET', conn_key(id), 'node', 'svc', 'id')
  if rec[1] == node and rec[2] == svc and rec[3] == identity then return end
  if rec[1] then drop(id, now, retention) end
  add(id, node, svc, identity, now)
end
`;

/** ARGV: prefix, now, nodeTtl, retention, node, connection, serviceSid, identity, reachability ('1'|'0'). → { known, changes } */
export const OPEN = `${COMMON}
local now, ttl, retention = ARGV[2], ARGV[3], ARGV[4]
local node, id, svc, identity = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
adopt(svc, ARGV[9], now)
local known = touch(node, ttl)
upsert(id, node, svc, identity, now, retention)
return { known, changes }
`;

/** ARGV: prefix, now, nodeTtl, retention, node, connection. → { known, changes } (closing an unknown connection: none) */
export const CLOSE = `${COMMON}
local now, ttl, retention = ARGV[2], ARGV[3], ARGV[4]
local known = touch(ARGV[5], ttl)
drop(ARGV[6], now, retention)
return { known, changes }
`;

/** ARGV: prefix, nodeTtl, node, connection count or ''. → { known, countDiffers } */
export const HEARTBEAT = `${COMMON}
local node, count = ARGV[3], ARGV[4]
local known = touch(node, ARGV[2])
local differs = 0
if count ~= '' and redis.call('SCARD', node_conns_key(node)) ~= tonumber(count) then differs = 1 end
return { known, differs }
`;

/** ARGV: prefix, node, grace. Keeps the node's connections for the grace; heartbeats no longer extend it. */
export const DRAIN = `${COMMON}
redis.call('SET', node_key(ARGV[2]), 'd', 'PX', ARGV[3])
redis.call('SADD', NODES, ARGV[2])
return 1
`;

/**
 * ARGV: prefix, now, nodeTtl, retention, node, syncId, done ('1'|'0'), then (connection, serviceSid, identity)...
 * Registers the batch's connections (marked with syncId); the last batch removes the node's unmarked ones. → changes
 */
export const SYNC = `${COMMON}
local now, ttl, retention = ARGV[2], ARGV[3], ARGV[4]
local node, sync_id, done = ARGV[5], ARGV[6], ARGV[7]
touch(node, ttl)
for i = 8, #ARGV, 3 do
  upsert(ARGV[i], node, ARGV[i + 1], ARGV[i + 2], now, retention)
  redis.call('HSET', conn_key(ARGV[i]), 'sync', sync_id)
end
if done == '1' then
  for _, id in ipairs(redis.call('SMEMBERS', node_conns_key(node))) do
    local rec = redis.call('HMGET', conn_key(id), 'node', 'sync')
    if not rec[1] then
      redis.call('SREM', node_conns_key(node), id)
    elseif rec[2] ~= sync_id then
      drop(id, now, retention, node)
    end
  end
end
return changes
`;

/**
 * ARGV: prefix, now, retention, node, batch. If the node's liveness key has expired, removes up to `batch` of its
 * connections. → { remaining, changes }; remaining = -1 when the node is alive (nothing done). Idempotent: replicas
 * sweeping the same node concurrently pop disjoint connections, so each offline transition is reported once.
 */
export const SWEEP_NODE = `${COMMON}
local now, retention, node = ARGV[2], ARGV[3], ARGV[4]
if redis.call('EXISTS', node_key(node)) == 1 then return { -1, changes } end
for _, id in ipairs(redis.call('SPOP', node_conns_key(node), ARGV[5])) do
  drop(id, now, retention, node)
end
local remaining = redis.call('SCARD', node_conns_key(node))
if remaining == 0 then redis.call('SREM', NODES, node) end
return { remaining, changes }
`;

/** ARGV: prefix, retention, serviceSid, identity, notifiable ('1'|'0'), observedAt. → changes (none for a stale report) */
export const NOTIFIABLE = `${COMMON}
local retention, svc, identity, value, observed = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local sk = state_key(svc, identity)
local held = redis.call('HMGET', sk, 'ntf', 'ntfAt')
if held[2] and tonumber(held[2]) > tonumber(observed) then return changes end
redis.call('HSET', sk, 'ntf', value, 'ntfAt', observed)
local count = redis.call('SCARD', user_key(svc, identity))
if count == 0 then redis.call('PEXPIRE', sk, retention) end
report(svc, identity, count, count, held[1] or '', value)
return changes
`;

/** ARGV: prefix, serviceSid, reachability ('1'|'0'), now. From service.updated: always wins. */
export const SERVICE_FLAG = `${COMMON}
local k = svc_key(ARGV[2])
local previous = redis.call('HGET', k, 'on')
redis.call('HSET', k, 'on', ARGV[3])
if ARGV[3] == '1' and previous ~= '1' then redis.call('HSET', k, 'since', ARGV[4]) end
if ARGV[3] == '0' then redis.call('HDEL', k, 'since') end
return 1
`;

/**
 * ARGV: prefix, serviceSid, reachability ('1'|'0'), now, identities... (the flag as the caller read it, adopted like
 * an open's). → { on, since, then per identity: connections, seen, ntf } with '' for unknown.
 */
export const REACHABILITY = `${COMMON}
local svc = ARGV[2]
adopt(svc, ARGV[3], ARGV[4])
local flag = redis.call('HMGET', svc_key(svc), 'on', 'since')
local out = { flag[1] or '', flag[2] or '' }
for i = 5, #ARGV do
  local held = redis.call('HMGET', state_key(svc, ARGV[i]), 'seen', 'ntf')
  table.insert(out, redis.call('SCARD', user_key(svc, ARGV[i])))
  table.insert(out, held[1] or '')
  table.insert(out, held[2] or '')
end
return out
`;

/** ARGV: prefix, serviceSid, identity. A deleted User: its notifiability and last sighting go (connections close on their own). */
export const FORGET_USER = `${COMMON}
return redis.call('DEL', state_key(ARGV[2], ARGV[3]))
`;

/** ARGV: prefix, serviceSid. A deleted Service: its flag goes. */
export const FORGET_SERVICE = `${COMMON}
return redis.call('DEL', svc_key(ARGV[2]))
`;
