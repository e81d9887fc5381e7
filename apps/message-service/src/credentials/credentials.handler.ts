import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { CredentialsService } from './credentials.service';

/** NATS entry points of the Credential resource: validated by the transport, one service call each. */
@Injectable()
export class CredentialsHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly credentials: CredentialsService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.credential.create', QUEUE_GROUP, ({ caller, params }) => this.credentials.create(caller, params));
    this.nats.serve('chat.v1.cmd.credential.fetch', QUEUE_GROUP, ({ caller, params }) => this.credentials.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.credential.update', QUEUE_GROUP, ({ caller, params }) => this.credentials.update(caller, params));
    this.nats.serve('chat.v1.cmd.credential.delete', QUEUE_GROUP, ({ caller, params }) => this.credentials.delete(caller, params));
    this.nats.serve('chat.v1.cmd.credential.list', QUEUE_GROUP, ({ caller, params }) => this.credentials.list(caller, params));
  }
}
