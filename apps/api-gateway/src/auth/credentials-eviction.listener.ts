import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { NatsTransport } from '@parley/nats';
import { ROOT_LOGGER } from '@parley/platform';
import { PrincipalCache } from './principal-cache';

/**
 * Keeps this replica's principal cache honest: when message-service reports that an account's credentials
 * changed (key deleted, account suspended or closed, auth token rotated), the principals cached for that
 * account are dropped, so the next request is verified again. A plain subscription: every replica holds its
 * own cache and must hear every notice.
 */
@Injectable()
export class CredentialsEvictionListener implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly cache: PrincipalCache,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.subscribeAccountEvents(({ accountSid, payload }) => {
      const evicted = this.cache.evictAccount(accountSid);
      this.logger.info({ accountSid, reason: payload.reason, evicted }, 'cached principals evicted');
    });
  }
}
