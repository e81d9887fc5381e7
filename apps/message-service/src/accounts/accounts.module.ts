import { Module } from '@nestjs/common';
import { MESSAGE_CONFIG } from '../config/message-config.module';
import type { MessageConfig } from '../config/message.config';
import { SecretBox } from '../crypto/secret-box';
import { AccountsHandler } from './accounts.handler';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { CredentialEvents } from './credential-events';
import { CredentialsService } from './credentials.service';
import { SessionRepository } from './session.repository';
import { SessionService } from './session.service';

@Module({
  providers: [
    // One box under the server key for the secrets this module and API keys seal (auth tokens, key secrets).
    { provide: SecretBox, inject: [MESSAGE_CONFIG], useFactory: (config: MessageConfig) => new SecretBox(config.PARLEY_SECRET_KEY) },
    AccountsRepository,
    AccountsService,
    CredentialsService,
    CredentialEvents,
    SessionRepository,
    SessionService,
    AccountsHandler,
  ],
  exports: [SecretBox, AccountsRepository, CredentialEvents],
})
export class AccountsModule {}
