import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { InvitesService } from './invites.service';

/** NATS entry points of Invites (REST) and of the SDK's decline. */
@Injectable()
export class InvitesHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly invites: InvitesService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.invite.create', QUEUE_GROUP, ({ caller, params }) => this.invites.create(caller, params));
    this.nats.serve('chat.v1.cmd.invite.fetch', QUEUE_GROUP, ({ caller, params }) => this.invites.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.invite.delete', QUEUE_GROUP, ({ caller, params }) => this.invites.delete(caller, params));
    this.nats.serve('chat.v1.cmd.invite.list', QUEUE_GROUP, ({ caller, params }) => this.invites.list(caller, params));
    this.nats.serve('chat.v1.cmd.invite.decline', QUEUE_GROUP, ({ caller, params }) => this.invites.decline(caller, params));
  }
}
