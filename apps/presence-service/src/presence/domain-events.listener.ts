import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { UserNotifiableEvent } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/presence.config';
import { PresenceService } from './presence.service';

/**
 * The domain events presence follows (one replica handles each): a Service's reachability flag, users' push
 * notifiability, and deleted Services and Users, whose presence state goes with them.
 */
@Injectable()
export class DomainEventsListener implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly presence: PresenceService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.subscribeEvents(
      QUEUE_GROUP,
      async (event) => {
        switch (event.name) {
          case 'service.updated':
            return this.presence.reachabilityToggled(event.serviceSid, (event.payload as { reachability_enabled: boolean }).reachability_enabled);
          case 'service.removed':
            return this.presence.serviceRemoved(event.serviceSid);
          case 'user.removed':
            return this.presence.userRemoved(event.serviceSid, (event.payload as { identity: string }).identity);
          case 'user.notifiable':
            return this.presence.notifiableChanged(event.serviceSid, event.payload as UserNotifiableEvent);
        }
      },
      ['service.updated', 'service.removed', 'user.removed', 'user.notifiable'],
    );
  }
}
