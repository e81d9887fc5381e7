import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { BindingsService } from './bindings.service';

/** NATS entry points of Bindings, UserBindings and SDK push registration: one service call each. */
@Injectable()
export class BindingsHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly bindings: BindingsService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.binding.list', QUEUE_GROUP, ({ caller, params }) => this.bindings.list(caller, params));
    this.nats.serve('chat.v1.cmd.binding.fetch', QUEUE_GROUP, ({ caller, params }) => this.bindings.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.binding.delete', QUEUE_GROUP, ({ caller, params }) => this.bindings.delete(caller, params));
    this.nats.serve('chat.v1.cmd.binding.register', QUEUE_GROUP, ({ caller, params }) => this.bindings.register(caller, params));
    this.nats.serve('chat.v1.cmd.binding.unregister', QUEUE_GROUP, ({ caller, params }) => this.bindings.unregister(caller, params));
    this.nats.serve('chat.v1.cmd.user-binding.list', QUEUE_GROUP, ({ caller, params }) => this.bindings.listOfUser(caller, params));
    this.nats.serve('chat.v1.cmd.user-binding.fetch', QUEUE_GROUP, ({ caller, params }) => this.bindings.fetchOfUser(caller, params));
    this.nats.serve('chat.v1.cmd.user-binding.delete', QUEUE_GROUP, ({ caller, params }) => this.bindings.deleteOfUser(caller, params));
  }
}
