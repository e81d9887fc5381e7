import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { UserChannelsService } from './user-channels.service';

/** NATS entry points of a User's Channels (REST) and of the SDK's channel list at connect. */
@Injectable()
export class UserChannelsHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly userChannels: UserChannelsService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.user-channel.list', QUEUE_GROUP, ({ caller, params }) => this.userChannels.list(caller, params));
    this.nats.serve('chat.v1.cmd.user-channel.fetch', QUEUE_GROUP, ({ caller, params }) => this.userChannels.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.user-channel.update', QUEUE_GROUP, ({ caller, params }) => this.userChannels.update(caller, params));
    this.nats.serve('chat.v1.cmd.user-channel.delete', QUEUE_GROUP, ({ caller, params }) => this.userChannels.delete(caller, params));
    this.nats.serve('chat.v1.cmd.user-channel.list-for-identity', QUEUE_GROUP, ({ caller, params }) =>
      this.userChannels.listForIdentity(caller, params),
    );
  }
}
