import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { MembersHandler } from './members.handler';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';

/** Members; exports the membership rules' service and store to Invites and UserChannels. */
@Module({
  imports: [ChannelsModule],
  providers: [MembersRepository, MembersService, MembersHandler],
  exports: [MembersRepository, MembersService],
})
export class MembersModule {}
