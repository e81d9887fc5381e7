import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { AccountsService } from './accounts.service';

/** NATS entry points of accounts: validated by the transport, one service call each. */
@Injectable()
export class AccountsHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly accounts: AccountsService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.account.authenticate', QUEUE_GROUP, (credentials) => this.accounts.authenticate(credentials));
  }
}
