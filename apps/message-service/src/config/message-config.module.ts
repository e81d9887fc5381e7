import { type DynamicModule, Global, Inject, Module } from '@nestjs/common';
import type { MessageConfig } from './message.config';

export const MESSAGE_CONFIG = Symbol('MESSAGE_CONFIG');
export const InjectConfig = () => Inject(MESSAGE_CONFIG);

/** Makes the validated config injectable everywhere in the app (it is read once: in main.ts, or by a test). */
@Global()
@Module({})
export class MessageConfigModule {
  static forRoot(config: MessageConfig): DynamicModule {
    return {
      module: MessageConfigModule,
      providers: [{ provide: MESSAGE_CONFIG, useValue: config }],
      exports: [MESSAGE_CONFIG],
    };
  }
}
