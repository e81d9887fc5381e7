import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { ChannelsService } from './channels.service';

/** NATS entry points of the Channel resource and of the SDK's channel lists: validated by the transport, one service call each. */
@Injectable()
export class ChannelsHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly channels: ChannelsService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.channel.create', QUEUE_GROUP, ({ caller, params }) => this.channels.create(caller, params));
    this.nats.serve('chat.v1.cmd.channel.fetch', QUEUE_GROUP, ({ caller, params }) => this.channels.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.channel.update', QUEUE_GROUP, ({ caller, params }) => this.channels.update(caller, params));
    this.nats.serve('chat.v1.cmd.channel.delete', QUEUE_GROUP, ({ caller, params }) => this.channels.delete(caller, params));
    this.nats.serve('chat.v1.cmd.channel.list', QUEUE_GROUP, ({ caller, params }) => this.channels.list(caller, params));
    this.nats.serve('chat.v1.cmd.channel.list-subscribed', QUEUE_GROUP, ({ caller, params }) => this.channels.listSubscribed(caller, params));
    this.nats.serve('chat.v1.cmd.session.channels', QUEUE_GROUP, ({ caller, params }) => this.channels.sessionChannels(caller, params));
  }
}
