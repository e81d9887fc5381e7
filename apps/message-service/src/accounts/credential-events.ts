import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { CredentialsChangedEvent } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';

/**
 * Tells every api-gateway replica that an account's credentials changed, so each forgets the principals it
 * cached for that account instead of honouring a deleted key or a suspended account until its cache entry
 * expires. Call after the commit; the change is durable either way, so a failed publish is logged, not thrown
 * (the gateways' cache TTL still bounds how long a stale principal lives).
 */
@Injectable()
export class CredentialEvents {
  constructor(
    private readonly nats: NatsTransport,
    @InjectPinoLogger(CredentialEvents.name) private readonly logger: PinoLogger,
  ) {}

  changed(accountSid: string, reason: CredentialsChangedEvent['reason']): void {
    try {
      this.nats.publishAccountEvent(accountSid, 'credentials.changed', { accountSid, reason });
    } catch (err) {
      this.logger.error({ err, accountSid, reason }, 'credentials.changed not published');
    }
  }
}
