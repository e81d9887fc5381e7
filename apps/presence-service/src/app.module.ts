import { type DynamicModule, Module } from '@nestjs/common';
import { NatsModule } from '@parley/nats';
import { PlatformModule } from '@parley/platform';
import { RedisModule } from '@parley/redis';
import { PresenceConfigModule } from './config/presence-config.module';
import type { PresenceConfig } from './config/presence.config';
import { SERVICE_NAME } from './config/presence.config';
import { PresenceModule } from './presence/presence.module';

@Module({})
export class AppModule {
  static forRoot(config: PresenceConfig, nodeId: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: SERVICE_NAME, nodeId, logLevel: config.LOG_LEVEL }),
        PresenceConfigModule.forRoot(config),
        NatsModule.forRoot({ servers: config.NATS_URL, subjectPrefix: config.NATS_SUBJECT_PREFIX, name: `${SERVICE_NAME}/${nodeId}` }),
        RedisModule.forRoot({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, name: `${SERVICE_NAME}/${nodeId}` }),
        PresenceModule,
      ],
    };
  }
}
