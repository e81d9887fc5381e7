// The baseline: the fastest thing a user could build instead of Parley. A bare Socket.IO server (same socket.io
// version, the same sharded Redis adapter over ioredis, websocket transport, the same ping and frame settings as
// realtime-gateway), rooms as channels, a client emit broadcast to the room, acked. No auth, no persistence.
// A naive presence too: a connect or disconnect is broadcast to the room of the user's subscribers.
//
// Started by bench/lib/baseline.mjs (child_process.fork) with PORT, REDIS_URL, CHANNEL_PREFIX.
import http from 'node:http';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const port = Number(process.env.PORT);
const options = { lazyConnect: true, maxRetriesPerRequest: null };
const pub = new Redis(process.env.REDIS_URL, options);
const sub = new Redis(process.env.REDIS_URL, options);
// Both clients must be ready before the adapter subscribes (ioredis' ready check fails in subscriber mode).
await Promise.all([pub.connect(), sub.connect()]);

const httpServer = http.createServer((req, res) => {
  if (req.url === '/metrics') {
    const mem = process.memoryUsage();
    res.end(`process_resident_memory_bytes ${mem.rss}\nnodejs_heap_size_used_bytes ${mem.heapUsed}\nbaseline_connections ${io.engine.clientsCount}\n`);
  } else if (req.url?.startsWith('/health')) {
    res.end('ok');
  } else {
    res.statusCode = 404;
    res.end();
  }
});

const io = new Server(httpServer, {
  transports: ['websocket'],
  serveClient: false,
  maxHttpBufferSize: 96 * 1024,
  pingInterval: 10_000,
  pingTimeout: 10_000,
  adapter: createShardedAdapter(pub, sub, { channelPrefix: `${process.env.CHANNEL_PREFIX}socket.io`, subscriptionMode: 'dynamic' }),
});

io.on('connection', async (socket) => {
  const { identity, rooms = [] } = socket.handshake.auth ?? {};
  await socket.join([`user:${identity}`, ...rooms.map((r) => `channel:${r}`)]);
  if (identity) io.to(`presence:${identity}`).emit('presence', { identity, online: true });
  socket.on('disconnect', () => {
    if (identity) io.to(`presence:${identity}`).emit('presence', { identity, online: false });
  });
  socket.on('msg', (payload, ack) => {
    if (payload && typeof payload.room === 'string') io.to(`channel:${payload.room}`).emit('msg', payload);
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('subscribe', async (who, ack) => {
    await socket.join(`presence:${who}`);
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.emit('ready');
});

// The same accept queue as Parley's services (LISTEN_BACKLOG in libs/platform/src/bootstrap.ts).
httpServer.listen(port, '127.0.0.1', 4096, () => process.send?.({ ready: port }));
process.on('SIGTERM', () => {
  io.close();
  pub.disconnect();
  sub.disconnect();
  setTimeout(() => process.exit(0), 200).unref();
});
