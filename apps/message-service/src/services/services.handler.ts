import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { ServicesService } from './services.service';

/** NATS entry points of the Service resource: validated by the transport, one service call each. */
@Injectable()
export class ServicesHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly services: ServicesService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.service.create', QUEUE_GROUP, ({ caller, params }) => this.services.create(caller, params));
    this.nats.serve('chat.v1.cmd.service.fetch', QUEUE_GROUP, ({ caller, params }) => this.services.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.service.update', QUEUE_GROUP, ({ caller, params }) => this.services.update(caller, params));
    this.nats.serve('chat.v1.cmd.service.delete', QUEUE_GROUP, ({ caller, params }) => this.services.delete(caller, params));
    this.nats.serve('chat.v1.cmd.service.list', QUEUE_GROUP, ({ caller, params }) => this.services.list(caller, params));
  }
}
