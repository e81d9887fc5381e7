import { Module } from '@nestjs/common';
import { ServicesHandler } from './services.handler';
import { ServicesRepository } from './services.repository';
import { ServicesService } from './services.service';

@Module({
  providers: [ServicesRepository, ServicesService, ServicesHandler],
})
export class ServicesModule {}
