import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { EventName, EventPayload } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';

/** Publishes domain events after the commit of the change they describe. */
@Injectable()
export class DomainEvents {
  constructor(
    private readonly nats: NatsTransport,
    @InjectPinoLogger(DomainEvents.name) private readonly logger: PinoLogger,
  ) {}

  /** The change is durable either way, so a failed publish is logged, not turned into an error of the command. */
  publish<E extends EventName>(serviceSid: string, name: E, payload: EventPayload<E>): void {
    try {
      this.nats.publish(serviceSid, name, payload);
    } catch (err) {
      this.logger.error({ err, serviceSid, event: name }, 'event not published');
    }
  }
}
