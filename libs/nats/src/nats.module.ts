import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { Metrics, Readiness, ROOT_LOGGER } from '@parley/platform';
import { NatsTransport } from './nats-transport';

export interface NatsModuleOptions {
  servers: string;
  subjectPrefix?: string;
  /** Connection name, e.g. `api-gateway/<node id>`. */
  name: string;
}

const NATS_OPTIONS = Symbol('NATS_OPTIONS');

/** Drains the connection when the app closes: in-flight commands finish, then it disconnects. */
@Injectable()
class NatsLifecycle implements OnApplicationShutdown {
  constructor(private readonly transport: NatsTransport) {}

  async onApplicationShutdown(): Promise<void> {
    await this.transport.drain();
  }
}

@Global()
@Module({})
export class NatsModule {
  static forRoot(options: NatsModuleOptions): DynamicModule {
    return {
      module: NatsModule,
      providers: [
        { provide: NATS_OPTIONS, useValue: options },
        {
          provide: NatsTransport,
          inject: [NATS_OPTIONS, ROOT_LOGGER, Readiness, Metrics],
          useFactory: async (opts: NatsModuleOptions, logger: Logger, readiness: Readiness, metrics: Metrics) => {
            const transport = new NatsTransport({ ...opts, logger: logger.child({ component: 'nats' }) });
            await transport.connect();
            transport.observeRequests((subject, outcome, seconds) =>
              metrics.natsRequests.observe({ subject, outcome }, seconds),
            );
            readiness.register('nats', () => transport.ping());
            return transport;
          },
        },
        NatsLifecycle,
      ],
      exports: [NatsTransport],
    };
  }
}

export const InjectNats = () => Inject(NatsTransport);
