import { Module } from '@nestjs/common';
import { CredentialsHandler } from './credentials.handler';
import { CredentialsRepository } from './credentials.repository';
import { CredentialsService } from './credentials.service';

@Module({
  providers: [CredentialsRepository, CredentialsService, CredentialsHandler],
})
export class CredentialsModule {}
