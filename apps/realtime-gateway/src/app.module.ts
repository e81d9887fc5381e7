import { type DynamicModule, Module } from '@nestjs/common';
import { NatsModule } from '@parley/nats';
import { PlatformModule } from '@parley/platform';
import { RedisModule } from '@parley/redis';
import { SERVICE_NAME, type RealtimeConfig } from './config/realtime.config';

@Module({})
export class AppModule {
  static forRoot(config: RealtimeConfig, nodeId: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: SERVICE_NAME, nodeId, logLevel: config.LOG_LEVEL }),
        NatsModule.forRoot({ servers: config.NATS_URL, subjectPrefix: config.NATS_SUBJECT_PREFIX, name: `${SERVICE_NAME}/${nodeId}` }),
        // Redis carries the Socket.IO adapter's fan-out between replicas; no chat data lives there.
        RedisModule.forRoot({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, name: `${SERVICE_NAME}/${nodeId}` }),
      ],
    };
  }
}
