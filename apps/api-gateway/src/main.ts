import 'reflect-metadata';
import { resolveNodeId } from '@parley/config';
import { bootstrapService } from '@parley/platform';
import { AppModule } from './app.module';
import { loadApiGatewayConfig, SERVICE_NAME } from './config/api-gateway.config';
import { configureDocs } from './docs/api-docs';
import { configureHttp, HTTP_NEST_OPTIONS } from './http/http-edge';

const config = loadApiGatewayConfig();
void bootstrapService({
  service: SERVICE_NAME,
  module: AppModule.forRoot(config, resolveNodeId(SERVICE_NAME, config.NODE_ID)),
  port: config.PORT,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  nestOptions: HTTP_NEST_OPTIONS,
  configure: (app) => {
    configureHttp(app);
    configureDocs(app);
  },
});
