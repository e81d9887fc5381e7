import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { NatsModule } from '@parley/nats';
import { PlatformModule } from '@parley/platform';
import { AccountsController } from './accounts/accounts.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { BasicAuthMiddleware } from './auth/basic-auth.middleware';
import { CredentialsEvictionListener } from './auth/credentials-eviction.listener';
import { ConfigurationController } from './configuration/configuration.controller';
import { PrincipalCache } from './auth/principal-cache';
import { type ApiGatewayConfig, SERVICE_NAME } from './config/api-gateway.config';
import { AccountRateLimiter } from './http/account-rate-limiter';
import { API_ROUTE_PREFIXES } from './http/api-paths';
import { FormBodyMiddleware } from './http/form-body.middleware';
import { RateLimitMiddleware } from './http/rate-limit.middleware';
import { RequestContextMiddleware } from './http/request-context.middleware';
import { RestCommands } from './http/rest-commands';
import { TwilioErrorFilter } from './http/twilio-error.filter';
import { PublicUrls } from './http/urls';
import { ServicesController } from './services/services.controller';
import { RolesController } from './roles/roles.controller';
import { UsersController } from './users/users.controller';
import { UserBindingsController } from './users/user-bindings.controller';
import { BindingsController } from './bindings/bindings.controller';
import { CredentialsController } from './credentials/credentials.controller';
import { MessagesController } from './messages/messages.controller';
import { ChannelsController } from './channels/channels.controller';
import { MembersController } from './members/members.controller';
import { InvitesController } from './invites/invites.controller';
import { ChannelWebhooksController } from './channel-webhooks/channel-webhooks.controller';
import { UserChannelsController } from './user-channels/user-channels.controller';

const PRINCIPAL_CACHE = { ttlMs: 30_000, maxEntries: 10_000 };

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: ApiGatewayConfig, nodeId: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: SERVICE_NAME, nodeId, logLevel: config.LOG_LEVEL }),
        NatsModule.forRoot({ servers: config.NATS_URL, subjectPrefix: config.NATS_SUBJECT_PREFIX, name: `${SERVICE_NAME}/${nodeId}` }),
      ],
      controllers: [
        AccountsController,
        ApiKeysController,
        ConfigurationController,
        ServicesController,
        MessagesController,
        RolesController,
        UsersController,
        UserBindingsController,
        BindingsController,
        CredentialsController,
        ChannelsController,
        MembersController,
        InvitesController,
        ChannelWebhooksController,
        UserChannelsController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: TwilioErrorFilter },
        { provide: PublicUrls, useValue: new PublicUrls(config.PARLEY_PUBLIC_URL) },
        { provide: PrincipalCache, useValue: new PrincipalCache(PRINCIPAL_CACHE) },
        { provide: AccountRateLimiter, useValue: new AccountRateLimiter(config.REST_RATE_LIMIT_PER_SECOND) },
        CredentialsEvictionListener,
        RestCommands,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // A plain path covers only itself and the controller routes under it: the wildcards make unknown
    // routes pass here too (so they answer 401 before 404).
    consumer.apply(RequestContextMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
    // Authenticate, then rate-limit the account, before reading the body: neither an anonymous nor a
    // throttled client can make us buffer one.
    consumer
      .apply(BasicAuthMiddleware, RateLimitMiddleware, FormBodyMiddleware)
      .forRoutes(...API_ROUTE_PREFIXES.flatMap((prefix) => [prefix, `${prefix}/{*path}`]).map((path) => ({ path, method: RequestMethod.ALL })));
  }
}
