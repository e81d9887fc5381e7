import { type DynamicModule, Module } from '@nestjs/common';
import { NatsModule } from '@parley/nats';
import { PlatformModule } from '@parley/platform';
import { AccountsModule } from './accounts/accounts.module';
import { MessageConfigModule } from './config/message-config.module';
import { type MessageConfig, SERVICE_NAME } from './config/message.config';
import { DatabaseModule } from './persistence/database.module';
import { ScopeModule } from './scope/scope.module';
import { ServicesModule } from './services/services.module';

@Module({})
export class AppModule {
  static forRoot(config: MessageConfig, nodeId: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: SERVICE_NAME, nodeId, logLevel: config.LOG_LEVEL }),
        MessageConfigModule.forRoot(config),
        NatsModule.forRoot({ servers: config.NATS_URL, subjectPrefix: config.NATS_SUBJECT_PREFIX, name: `${SERVICE_NAME}/${nodeId}` }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
        ScopeModule,
        AccountsModule,
        ServicesModule,
      ],
    };
  }
}
