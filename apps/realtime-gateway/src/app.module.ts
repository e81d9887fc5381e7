import { type DynamicModule, Module } from '@nestjs/common';
import { NatsModule } from '@parley/nats';
import { PlatformModule } from '@parley/platform';
import { RealtimeConfigModule } from './config/realtime-config.module';
import { SERVICE_NAME, type RealtimeConfig } from './config/realtime.config';
import { RealtimeModule } from './socket/realtime.module';

@Module({})
export class AppModule {
  static forRoot(config: RealtimeConfig, nodeId: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: SERVICE_NAME, nodeId, logLevel: config.LOG_LEVEL }),
        RealtimeConfigModule.forRoot(config),
        NatsModule.forRoot({ servers: config.NATS_URL, subjectPrefix: config.NATS_SUBJECT_PREFIX, name: `${SERVICE_NAME}/${nodeId}` }),
        // Redis carries only the Socket.IO adapter's fan-out between replicas (SocketServer owns those clients).
        RealtimeModule,
      ],
    };
  }
}
