import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsTransport } from '@parley/nats';
import { QUEUE_GROUP } from '../config/message.config';
import { AccountsService } from './accounts.service';
import { CredentialsService } from './credentials.service';
import { SessionService } from './session.service';

/** NATS entry points of accounts, credentials and sessions: validated by the transport, one service call each. */
@Injectable()
export class AccountsHandler implements OnApplicationBootstrap {
  constructor(
    private readonly nats: NatsTransport,
    private readonly accounts: AccountsService,
    private readonly credentials: CredentialsService,
    private readonly sessions: SessionService,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.serve('chat.v1.cmd.account.authenticate', QUEUE_GROUP, (credentials) => this.credentials.authenticate(credentials));
    this.nats.serve('chat.v1.cmd.session.open', QUEUE_GROUP, (request) => this.sessions.open(request));
    this.nats.serve('chat.v1.cmd.account.create', QUEUE_GROUP, ({ caller, params }) => this.accounts.create(caller, params));
    this.nats.serve('chat.v1.cmd.account.fetch', QUEUE_GROUP, ({ caller, params }) => this.accounts.fetch(caller, params));
    this.nats.serve('chat.v1.cmd.account.update', QUEUE_GROUP, ({ caller, params }) => this.accounts.update(caller, params));
    this.nats.serve('chat.v1.cmd.account.list', QUEUE_GROUP, ({ caller, params }) => this.accounts.list(caller, params));
  }
}
