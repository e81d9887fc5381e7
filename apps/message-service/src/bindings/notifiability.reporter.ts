import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { NatsTransport } from '@parley/nats';
import { BindingsRepository } from './bindings.repository';

/**
 * After a binding change commits: publishes `user.notifiable` (has the user at least one push binding?) for each user
 * whose bindings it touched. presence-service keeps the flag (Reachability `is_notifiable`) and publishes the
 * transitions. The change is durable either way, so a failure is logged, never turned into an error.
 */
@Injectable()
export class NotifiabilityReporter {
  constructor(
    private readonly bindings: BindingsRepository,
    private readonly nats: NatsTransport,
    @InjectPinoLogger(NotifiabilityReporter.name) private readonly logger: PinoLogger,
  ) {}

  async report(accountSid: string, serviceSid: string, userSids: readonly (string | null | undefined)[]): Promise<void> {
    const sids = [...new Set(userSids.filter((s): s is string => typeof s === 'string'))];
    if (sids.length === 0) return;
    try {
      for (const u of await this.bindings.notifiability(accountSid, serviceSid, sids)) {
        this.nats.publish(serviceSid, 'user.notifiable', { identity: u.identity, is_notifiable: u.notifiable, observed_at: u.observedAt });
      }
    } catch (err) {
      this.logger.error({ err, serviceSid }, 'user.notifiable not published');
    }
  }
}
