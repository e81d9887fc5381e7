import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { HealthController } from './health.controller';
import { createRootLogger, requestIdOf } from './logger';
import { Metrics, MetricsController } from './metrics';
import { Readiness } from './readiness';

export interface PlatformOptions {
  service: string;
  nodeId: string;
  logLevel: string;
}

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
export const PLATFORM_OPTIONS = Symbol('PLATFORM_OPTIONS');

/** Logging, health, readiness and metrics: what every Parley service has. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const root = createRootLogger({ service: options.service, nodeId: options.nodeId, level: options.logLevel });
    return {
      module: PlatformModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRoot({
          pinoHttp: {
            logger: root,
            genReqId: (req) => requestIdOf(req),
            // The request id is the correlation id, on every line of the request (the quiet logger's own binding:
            // no further child logger per request, which customProps would make).
            customAttributeKeys: { reqId: 'correlationId' },
            // Probes and scrapes would drown the request log.
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
            quietReqLogger: true,
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: PLATFORM_OPTIONS, useValue: options },
        { provide: ROOT_LOGGER, useValue: root },
        { provide: Metrics, useValue: new Metrics(options.service, options.nodeId) },
        Readiness,
      ],
      exports: [PLATFORM_OPTIONS, ROOT_LOGGER, Metrics, Readiness],
    };
  }
}

export type RootLogger = Logger;
