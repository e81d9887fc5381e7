import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { RealtimeConfig } from './realtime.config';

export const REALTIME_CONFIG = Symbol('REALTIME_CONFIG');

@Global()
@Module({})
export class RealtimeConfigModule {
  static forRoot(config: RealtimeConfig): DynamicModule {
    return { module: RealtimeConfigModule, providers: [{ provide: REALTIME_CONFIG, useValue: config }], exports: [REALTIME_CONFIG] };
  }
}
