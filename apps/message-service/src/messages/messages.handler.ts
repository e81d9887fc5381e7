import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { MessagesService } from './messages.service';

/** NATS entry points of the Message resource (REST operations and the SDK's pages): one service call each. */
@Injectable()
export class MessagesHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly messages: MessagesService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.message.create', QUEUE_GROUP, ({ caller, params }) => this.messages.create(caller, params));
    this.nats.serve('chat.v1.cmd.message.fetch', QUEUE_GROUP, ({ caller, params }) => this.messages.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.message.update', QUEUE_GROUP, ({ caller, params }) => this.messages.update(caller, params));
    this.nats.serve('chat.v1.cmd.message.delete', QUEUE_GROUP, ({ caller, params }) => this.messages.delete(caller, params));
    this.nats.serve('chat.v1.cmd.message.list', QUEUE_GROUP, ({ caller, params }) => this.messages.list(caller, params));
    this.nats.serve('chat.v1.cmd.message.list-after', QUEUE_GROUP, ({ caller, params }) => this.messages.listAfter(caller, params));
    this.nats.serve('chat.v1.cmd.message.page', QUEUE_GROUP, ({ caller, params }) => this.messages.page(caller, params));
  }
}
