import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { UsersService } from './users.service';

/** NATS entry points of the User resource: validated by the transport, one service call each. */
@Injectable()
export class UsersHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly users: UsersService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.user.create', QUEUE_GROUP, ({ caller, params }) => this.users.create(caller, params));
    this.nats.serve('chat.v1.cmd.user.fetch', QUEUE_GROUP, ({ caller, params }) => this.users.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.user.update', QUEUE_GROUP, ({ caller, params }) => this.users.update(caller, params));
    this.nats.serve('chat.v1.cmd.user.delete', QUEUE_GROUP, ({ caller, params }) => this.users.delete(caller, params));
    this.nats.serve('chat.v1.cmd.user.list', QUEUE_GROUP, ({ caller, params }) => this.users.list(caller, params));
  }
}
