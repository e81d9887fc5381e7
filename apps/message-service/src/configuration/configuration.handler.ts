import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { ConfigurationService } from './configuration.service';

/** NATS entry points of the Service Configuration resource: validated by the transport, one service call each. */
@Injectable()
export class ConfigurationHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly configuration: ConfigurationService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.service-configuration.fetch', QUEUE_GROUP, ({ caller, params }) => this.configuration.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.service-configuration.update', QUEUE_GROUP, ({ caller, params }) => this.configuration.update(caller, params));
  }
}
