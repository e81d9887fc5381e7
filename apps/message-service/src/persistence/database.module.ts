import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { NatsTransport } from '@parley/nats';
import { Metrics, Readiness, ROOT_LOGGER } from '@parley/platform';
import { dataSourceOptions } from '../database/data-source-options';
import { runMigrations } from '../database/run-migrations';
import { Statements } from './statements';

export interface DatabaseOptions {
  url: string;
  poolSize: number;
}

/**
 * Closes Postgres last, after NATS. Nest runs `onApplicationShutdown` module by module, and this module and
 * NatsModule are both global (same distance), so their order would hang on import order (in practice this hook
 * runs first). Instead it drains NATS itself before closing the pool: no new command can arrive on a closed pool.
 * The second drain (NatsModule's own hook) is a no-op on the closed connection; the two never overlap because Nest
 * awaits one module's hooks before the next. `pool.end()` then waits for checked-out clients, so a transaction in
 * flight still commits.
 */
@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    private readonly nats: NatsTransport,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.nats.drain();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.logger.info({ component: 'postgres' }, 'postgres pool closed');
  }
}

/** message-service's Postgres: the only process that connects to it (DESIGN.md §1). */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [ROOT_LOGGER, Readiness, Metrics],
          useFactory: async (root: Logger, readiness: Readiness, metrics: Metrics) => {
            const logger = root.child({ component: 'postgres' });
            const dataSource = new DataSource(dataSourceOptions(options.url, options.poolSize));
            await dataSource.initialize();
            try {
              // Advisory-locked inside runMigrations: replicas starting together migrate once, the others wait.
              await runMigrations(dataSource);
            } catch (err) {
              await dataSource.destroy().catch(() => undefined);
              throw err;
            }
            logger.info({ poolSize: options.poolSize }, 'postgres connected and migrated');
            readiness.register('postgres', async () => {
              await dataSource.query('SELECT 1');
            });
            registerPoolGauges(metrics, dataSource.driver as unknown as { master: Pool });
            return dataSource;
          },
        },
        DatabaseLifecycle,
        Statements,
      ],
      exports: [DataSource, Statements],
    };
  }
}

/** Pool saturation is the first sign of an overloaded replica: `waiting` > 0 means commands queue for a client. */
function registerPoolGauges(metrics: Metrics, driver: { master: Pool }): void {
  const gauge = (name: string, help: string, read: (pool: Pool) => number) =>
    new Gauge({
      name,
      help,
      registers: [metrics.registry],
      collect() {
        this.set(read(driver.master));
      },
    });
  gauge('parley_pg_pool_total_connections', 'Postgres pool connections, idle or in use', (p) => p.totalCount);
  gauge('parley_pg_pool_idle_connections', 'Postgres pool connections not in use', (p) => p.idleCount);
  gauge('parley_pg_pool_waiting_requests', 'Queries waiting for a Postgres pool connection', (p) => p.waitingCount);
}
