import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { MembersService } from './members.service';

/** NATS entry points of Members (REST) and of the SDK's join, leave and consumption reports. */
@Injectable()
export class MembersHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly members: MembersService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.member.create', QUEUE_GROUP, ({ caller, params }) => this.members.create(caller, params));
    this.nats.serve('chat.v1.cmd.member.fetch', QUEUE_GROUP, ({ caller, params }) => this.members.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.member.update', QUEUE_GROUP, ({ caller, params }) => this.members.update(caller, params));
    this.nats.serve('chat.v1.cmd.member.delete', QUEUE_GROUP, ({ caller, params }) => this.members.delete(caller, params));
    this.nats.serve('chat.v1.cmd.member.list', QUEUE_GROUP, ({ caller, params }) => this.members.list(caller, params));
    this.nats.serve('chat.v1.cmd.member.consume', QUEUE_GROUP, ({ caller, params }) => this.members.consume(caller, params));
    this.nats.serve('chat.v1.cmd.channel.join', QUEUE_GROUP, ({ caller, params }) => this.members.join(caller, params));
    this.nats.serve('chat.v1.cmd.channel.leave', QUEUE_GROUP, ({ caller, params }) => this.members.leave(caller, params));
  }
}
