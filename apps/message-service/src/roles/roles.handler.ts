import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { RolesService } from './roles.service';

/** NATS entry points of the Role resource: validated by the transport, one service call each. */
@Injectable()
export class RolesHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly roles: RolesService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.role.create', QUEUE_GROUP, ({ caller, params }) => this.roles.create(caller, params));
    this.nats.serve('chat.v1.cmd.role.fetch', QUEUE_GROUP, ({ caller, params }) => this.roles.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.role.update', QUEUE_GROUP, ({ caller, params }) => this.roles.update(caller, params));
    this.nats.serve('chat.v1.cmd.role.delete', QUEUE_GROUP, ({ caller, params }) => this.roles.delete(caller, params));
    this.nats.serve('chat.v1.cmd.role.list', QUEUE_GROUP, ({ caller, params }) => this.roles.list(caller, params));
  }
}
