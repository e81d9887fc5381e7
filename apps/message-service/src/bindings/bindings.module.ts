import { Module } from '@nestjs/common';
import { BindingsHandler } from './bindings.handler';
import { BindingsRepository } from './bindings.repository';
import { BindingsService } from './bindings.service';

@Module({
  providers: [BindingsRepository, BindingsService, BindingsHandler],
})
export class BindingsModule {}
