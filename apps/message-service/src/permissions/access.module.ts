import { Global, Module } from '@nestjs/common';
import { ChannelViewsRepository } from '../channels/channel-views.repository';
import { ChannelAccess } from './channel-access';

/** SDK users' permission checks and the channel reads that carry their membership, for every chat feature. */
@Global()
@Module({ providers: [ChannelViewsRepository, ChannelAccess], exports: [ChannelViewsRepository, ChannelAccess] })
export class AccessModule {}
