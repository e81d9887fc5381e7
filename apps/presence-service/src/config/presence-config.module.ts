import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { PresenceConfig } from './presence.config';

export const PRESENCE_CONFIG = Symbol('PRESENCE_CONFIG');

@Global()
@Module({})
export class PresenceConfigModule {
  static forRoot(config: PresenceConfig): DynamicModule {
    return { module: PresenceConfigModule, providers: [{ provide: PRESENCE_CONFIG, useValue: config }], exports: [PRESENCE_CONFIG] };
  }
}
