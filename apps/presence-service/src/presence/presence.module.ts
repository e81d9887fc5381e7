import { Module } from '@nestjs/common';
import { DomainEventsListener } from './domain-events.listener';
import { PresenceHandler } from './presence.handler';
import { PresenceRepository } from './presence.repository';
import { PresenceService } from './presence.service';
import { PresenceSweeper } from './presence-sweeper';

@Module({
  providers: [PresenceRepository, PresenceService, PresenceHandler, DomainEventsListener, PresenceSweeper],
})
export class PresenceModule {}
