import { Module } from '@nestjs/common';
import { BindingsHandler } from './bindings.handler';
import { BindingsRepository } from './bindings.repository';
import { BindingsService } from './bindings.service';
import { NotifiabilityReporter } from './notifiability.reporter';

@Module({
  providers: [BindingsRepository, BindingsService, BindingsHandler, NotifiabilityReporter],
})
export class BindingsModule {}
