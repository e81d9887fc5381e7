import 'reflect-metadata';
import { resolveNodeId } from '@parley/config';
import { bootstrapService } from '@parley/platform';
import { AppModule } from './app.module';
import { loadMessageConfig, SERVICE_NAME } from './config/message.config';

const config = loadMessageConfig();
void bootstrapService({
  service: SERVICE_NAME,
  module: AppModule.forRoot(config, resolveNodeId(SERVICE_NAME, config.NODE_ID)),
  port: config.PORT,
  shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
});
