import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import { MAX_SOCKET_FRAME_BYTES } from '@parley/contracts';
import { Metrics, Readiness, ROOT_LOGGER } from '@parley/platform';
import { Gauge } from 'prom-client';
import { REALTIME_CONFIG } from '../config/realtime-config.module';
import type { RealtimeConfig } from '../config/realtime.config';
import { corkedPerTurn } from './corked-per-turn';

/**
 * The Socket.IO server on the gateway's HTTP port, fanned out across replicas by the Redis sharded
 * adapter (Redis 7 sharded pub/sub, a channel per room, so a replica hears only rooms it serves).
 * Websocket transport only: no long-polling, so no sticky sessions behind a load balancer.
 */
@Injectable()
export class SocketServer implements BeforeApplicationShutdown, OnApplicationShutdown {
  private server: Server | null = null;
  private pub: Redis | null = null;
  private sub: Redis | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(REALTIME_CONFIG) private readonly config: RealtimeConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly readiness: Readiness,
    private readonly metrics: Metrics,
  ) {}

  get io(): Server {
    if (!this.server) throw new Error('the socket server has not started');
    return this.server;
  }

  async start(): Promise<Server> {
    const options = { connectionName: 'realtime-gateway-adapter', lazyConnect: true, maxRetriesPerRequest: null };
    this.pub = new Redis(this.config.REDIS_URL, options);
    this.sub = new Redis(this.config.REDIS_URL, options);
    for (const client of [this.pub, this.sub]) {
      client.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'adapter redis error'));
    }
    // Both clients must be ready before the adapter subscribes, or ioredis' ready check fails in subscriber mode.
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    const pub = corkedPerTurn(this.pub);
    this.readiness.register('redis', async () => {
      await pub.ping();
    });

    const server = new Server(this.adapterHost.httpAdapter.getHttpServer(), {
      transports: ['websocket'],
      serveClient: false,
      maxHttpBufferSize: MAX_SOCKET_FRAME_BYTES,
      pingInterval: 10_000,
      pingTimeout: 10_000,
      adapter: createShardedAdapter(pub, this.sub, {
        channelPrefix: `${this.config.REDIS_KEY_PREFIX}socket.io`,
        subscriptionMode: 'dynamic',
      }),
    });
    const connections = new Gauge({
      name: 'parley_socket_connections',
      help: 'Open Socket.IO connections on this replica',
      registers: [this.metrics.registry],
      collect() {
        this.set(server.engine.clientsCount);
      },
    });
    void connections;
    this.server = server;
    return server;
  }

  /** Before the HTTP server closes: tell every client to go (they reconnect to another replica). */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.server) return;
    this.server.local.emit('serverShutdown', { reconnect: true });
    this.server.local.disconnectSockets(true);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all(
      [this.pub, this.sub].map(async (client) => {
        if (client) await client.quit().catch(() => client.disconnect());
      }),
    );
  }
}
