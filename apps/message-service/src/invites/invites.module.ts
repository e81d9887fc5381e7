import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { MembersModule } from '../members/members.module';
import { InvitesHandler } from './invites.handler';
import { InvitesRepository } from './invites.repository';
import { InvitesService } from './invites.service';

@Module({
  imports: [ChannelsModule, MembersModule],
  providers: [InvitesRepository, InvitesService, InvitesHandler],
})
export class InvitesModule {}
