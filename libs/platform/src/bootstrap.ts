import type { DynamicModule, INestApplication, NestApplicationOptions, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from './platform.module';
import { Readiness } from './readiness';

export interface BootstrapOptions {
  service: string;
  module: Type<unknown> | DynamicModule;
  port: number;
  shutdownTimeoutMs: number;
  /** Extra Nest options, e.g. `{ bodyParser: false }` for an edge that parses bodies itself. */
  nestOptions?: NestApplicationOptions;
  /** Edge-specific set-up before listening (body parsers, socket adapters…). */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * The kernel's queue of connections not yet accepted (Node's default: 511; Linux caps it at net.core.somaxconn).
 * When a gateway replica dies, its clients all reconnect to the others within a second: with the default queue, the
 * reconnect-storm benchmark overflowed it tens of thousands of times, and clients whose SYN was dropped waited out
 * socket.io's 10 s connect timeout before trying again (docs/benchmarks.md).
 */
export const LISTEN_BACKLOG = 4096;

/**
 * Starts a service and wires graceful shutdown: on SIGTERM readiness turns off first, then the app
 * closes (HTTP stops accepting, module hooks drain NATS and close Redis/Postgres), all under a hard
 * deadline after which the process exits non-zero. A failed start exits non-zero too.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication> {
  let app: INestApplication | undefined;
  try {
    app = await NestFactory.create(options.module, { ...options.nestOptions, bufferLogs: true, forceCloseConnections: true });
    app.useLogger(app.get(NestPinoLogger));
    await options.configure?.(app);
    // Nest hands the arguments after the port to Node's server.listen(port, host, backlog); its typing omits backlog.
    const listen = app.listen.bind(app) as unknown as (port: number, host: string, backlog: number) => Promise<unknown>;
    await listen(options.port, '0.0.0.0', LISTEN_BACKLOG);
  } catch (err) {
    const logger = app ? (app.get(ROOT_LOGGER, { strict: false }) as Logger | undefined) : undefined;
    if (logger) logger.fatal({ err }, 'start failed');
    else process.stderr.write(`${JSON.stringify({ level: 'fatal', service: options.service, msg: 'start failed', err: String(err) })}\n`);
    process.exit(1);
  }

  const logger = app.get<Logger>(ROOT_LOGGER);
  const readiness = app.get(Readiness);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.info({ port }, `${options.service} listening`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    readiness.markStopping();
    logger.info({ signal, deadlineMs: options.shutdownTimeoutMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, options.shutdownTimeoutMs);
    deadline.unref();
    app
      .close()
      .then(() => {
        logger.info('stopped');
        logger.flush?.();
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  return app;
}
