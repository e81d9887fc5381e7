import { Module } from '@nestjs/common';
import { ServicesRepository } from '../services/services.repository';
import { ServicesService } from '../services/services.service';
import { ConfigurationHandler } from './configuration.handler';
import { ConfigurationService } from './configuration.service';

@Module({
  // ServicesModule exports nothing; its repository and service are stateless, so this module holds its own.
  providers: [ServicesRepository, ServicesService, ConfigurationService, ConfigurationHandler],
})
export class ConfigurationModule {}
