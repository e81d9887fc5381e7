import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ApiKeysHandler } from './api-keys.handler';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

@Module({
  imports: [AccountsModule],
  providers: [ApiKeysRepository, ApiKeysService, ApiKeysHandler],
})
export class ApiKeysModule {}
