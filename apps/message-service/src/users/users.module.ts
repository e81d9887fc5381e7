import { Module } from '@nestjs/common';
import { UsersHandler } from './users.handler';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  providers: [UsersRepository, UsersService, UsersHandler],
})
export class UsersModule {}
