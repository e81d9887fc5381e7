import { Global, Module } from '@nestjs/common';
import { ScopeRepository } from './scope.repository';

/** Parent lookups shared by every nested resource of the chat domain. */
@Global()
@Module({ providers: [ScopeRepository], exports: [ScopeRepository] })
export class ScopeModule {}
