import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { ApiKeysService } from './api-keys.service';

/** NATS entry points of the API Key resource: validated by the transport, one service call each. */
@Injectable()
export class ApiKeysHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly keys: ApiKeysService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.api-key.create', QUEUE_GROUP, ({ caller, params }) => this.keys.create(caller, params));
    this.nats.serve('chat.v1.cmd.api-key.fetch', QUEUE_GROUP, ({ caller, params }) => this.keys.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.api-key.update', QUEUE_GROUP, ({ caller, params }) => this.keys.update(caller, params));
    this.nats.serve('chat.v1.cmd.api-key.delete', QUEUE_GROUP, ({ caller, params }) => this.keys.delete(caller, params));
    this.nats.serve('chat.v1.cmd.api-key.list', QUEUE_GROUP, ({ caller, params }) => this.keys.list(caller, params));
  }
}
