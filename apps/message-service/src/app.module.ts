import { type DynamicModule, Module } from '@nestjs/common';
import { NatsModule } from '@parley/nats';
import { PlatformModule } from '@parley/platform';
import { AccountsModule } from './accounts/accounts.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { ConfigurationModule } from './configuration/configuration.module';
import { MessageConfigModule } from './config/message-config.module';
import { type MessageConfig, SERVICE_NAME } from './config/message.config';
import { DatabaseModule } from './persistence/database.module';
import { ScopeModule } from './scope/scope.module';
import { AccessModule } from './permissions/access.module';
import { ServicesModule } from './services/services.module';
import { RolesModule } from './roles/roles.module';
import { UsersModule } from './users/users.module';
import { BindingsModule } from './bindings/bindings.module';
import { CredentialsModule } from './credentials/credentials.module';
import { MessagesModule } from './messages/messages.module';
import { ChannelsModule } from './channels/channels.module';
import { MembersModule } from './members/members.module';
import { InvitesModule } from './invites/invites.module';
import { UserChannelsModule } from './user-channels/user-channels.module';
import { ChannelWebhooksModule } from './channel-webhooks/channel-webhooks.module';

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
        AccessModule,
        AccountsModule,
        ApiKeysModule,
        ConfigurationModule,
        ServicesModule,
        RolesModule,
        UsersModule,
        BindingsModule,
        CredentialsModule,
        MessagesModule,
        ChannelsModule,
        MembersModule,
        InvitesModule,
        UserChannelsModule,
        ChannelWebhooksModule,
      ],
    };
  }
}
