import { Module } from '@nestjs/common';
import { ChannelWebhooksHandler } from './channel-webhooks.handler';
import { ChannelWebhooksRepository } from './channel-webhooks.repository';
import { ChannelWebhooksService } from './channel-webhooks.service';

@Module({
  providers: [ChannelWebhooksRepository, ChannelWebhooksService, ChannelWebhooksHandler],
})
export class ChannelWebhooksModule {}
