import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { BurstyRateLimiter, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Errors } from '@parley/contracts';
import { ROOT_LOGGER } from '@parley/platform';
import { REALTIME_CONFIG } from '../config/realtime-config.module';
import type { RealtimeConfig } from '../config/realtime.config';
import { SocketServer } from '../socket/socket-server';

/**
 * Twilio's per-channel limit (30 actions/s with bursts), counted in Redis so it holds across every socket
 * and gateway replica: a user opening more sockets does not get more sends into a channel.
 */
@Injectable()
export class ChannelRateLimit {
  private limiter: BurstyRateLimiter | null = null;

  constructor(
    private readonly sockets: SocketServer,
    @Inject(REALTIME_CONFIG) private readonly config: RealtimeConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Throws 429 (20429) when the channel is over its limit. */
  async consume(serviceSid: string, channel: string): Promise<void> {
    try {
      await this.get().consume(`${serviceSid}:${channel}`);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw Errors.tooManyRequests();
      // Redis unavailable: fail open; the per-socket limit still applies.
      this.logger.warn({ err }, 'channel rate limit unavailable');
    }
  }

  private get(): BurstyRateLimiter {
    if (!this.limiter) {
      const perSecond = this.config.CHANNEL_ACTIONS_PER_SECOND;
      const storeClient = this.sockets.redis;
      const keyPrefix = `${this.config.REDIS_KEY_PREFIX}rl:channel`;
      this.limiter = new BurstyRateLimiter(
        new RateLimiterRedis({ storeClient, keyPrefix, points: perSecond, duration: 1 }),
        new RateLimiterRedis({ storeClient, keyPrefix: `${keyPrefix}:burst`, points: perSecond * 2, duration: 10 }),
      );
    }
    return this.limiter;
  }
}
