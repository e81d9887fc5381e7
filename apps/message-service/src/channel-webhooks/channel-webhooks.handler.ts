import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { ChannelWebhooksService } from './channel-webhooks.service';

/** NATS entry points of Channel Webhooks. */
@Injectable()
export class ChannelWebhooksHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly webhooks: ChannelWebhooksService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.channel-webhook.create', QUEUE_GROUP, ({ caller, params }) => this.webhooks.create(caller, params));
    this.nats.serve('chat.v1.cmd.channel-webhook.fetch', QUEUE_GROUP, ({ caller, params }) => this.webhooks.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.channel-webhook.update', QUEUE_GROUP, ({ caller, params }) => this.webhooks.update(caller, params));
    this.nats.serve('chat.v1.cmd.channel-webhook.delete', QUEUE_GROUP, ({ caller, params }) => this.webhooks.delete(caller, params));
    this.nats.serve('chat.v1.cmd.channel-webhook.list', QUEUE_GROUP, ({ caller, params }) => this.webhooks.list(caller, params));
  }
}
