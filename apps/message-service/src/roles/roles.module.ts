import { Module } from '@nestjs/common';
import { RolesHandler } from './roles.handler';
import { RolesRepository } from './roles.repository';
import { RolesService } from './roles.service';

@Module({
  providers: [RolesRepository, RolesService, RolesHandler],
})
export class RolesModule {}
