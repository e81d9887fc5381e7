import { Module } from '@nestjs/common';
import { ChannelsHandler } from './channels.handler';
import { ChannelsRepository } from './channels.repository';
import { ChannelsService } from './channels.service';
import { DomainEvents } from './domain-events';

/** Channels; also provides DomainEvents to the other channel features (members, invites, webhooks). */
@Module({
  providers: [ChannelsRepository, ChannelsService, ChannelsHandler, DomainEvents],
  exports: [DomainEvents],
})
export class ChannelsModule {}
