import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Readiness, ROOT_LOGGER } from '@parley/platform';

export interface RedisOptions {
  url: string;
  keyPrefix: string;
  name: string;
}

export const REDIS = Symbol('REDIS');
export const InjectRedis = () => Inject(REDIS);

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** A Redis connection with a readiness check, closed on shutdown. Each app decides which keys it may touch. */
@Global()
@Module({})
export class RedisModule {
  static forRoot(options: RedisOptions): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          inject: [ROOT_LOGGER, Readiness],
          useFactory: async (logger: Logger, readiness: Readiness) => {
            const redis = new Redis(options.url, {
              keyPrefix: options.keyPrefix,
              connectionName: options.name.replace(/[^A-Za-z0-9_-]/g, '_'),
              lazyConnect: true,
              maxRetriesPerRequest: 2,
            });
            redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis error'));
            await redis.connect();
            readiness.register('redis', async () => {
              await redis.ping();
            });
            return redis;
          },
        },
        RedisLifecycle,
      ],
      exports: [REDIS],
    };
  }
}
