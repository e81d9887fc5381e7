import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '@parley/platform';
import { PRESENCE_CONFIG } from '../config/presence-config.module';
import type { PresenceConfig } from '../config/presence.config';
import { PresenceService } from './presence.service';

/**
 * Runs the sweep on every replica, a quarter of the node TTL apart, so a crashed gateway's users are offline at most
 * 1.25 × TTL after its last heartbeat. Replicas need no lock: the sweep scripts are idempotent per connection.
 */
@Injectable()
export class PresenceSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly presence: PresenceService,
    @Inject(PRESENCE_CONFIG) private readonly config: PresenceConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  get intervalMs(): number {
    return Math.max(100, Math.floor(this.config.PRESENCE_NODE_TTL_MS / 4));
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  /** Before Redis and NATS close: no new sweep, and the one running finishes. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.presence
        .sweep()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn({ err }, 'presence sweep failed; retrying next interval'))
        .finally(() => this.schedule());
    }, this.intervalMs);
  }
}
