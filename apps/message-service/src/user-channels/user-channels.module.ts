import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { MembersModule } from '../members/members.module';
import { UserChannelsHandler } from './user-channels.handler';
import { UserChannelsRepository } from './user-channels.repository';
import { UserChannelsService } from './user-channels.service';

@Module({
  imports: [ChannelsModule, MembersModule],
  providers: [UserChannelsRepository, UserChannelsService, UserChannelsHandler],
})
export class UserChannelsModule {}
