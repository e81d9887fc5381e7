import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RoleEntity, UserEntity } from '../database/entities';

/** The rows a realtime session needs: the User of an identity (created on first connection) and its role. */
@Injectable()
export class SessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  findDeploymentRole(accountSid: string, serviceSid: string, roleSid: string): Promise<RoleEntity | null> {
    return this.dataSource.manager.findOneBy(RoleEntity, { accountSid, serviceSid, sid: roleSid, type: 'deployment' });
  }

  /**
   * The Service's User with `user`'s identity, or `user` (a new row) inserted when there is none yet. Looked up
   * by identity only, never as a sid. Read first: every connection after the first is one indexed lookup.
   * Concurrent first connections of one identity race on the unique (service, identity) constraint: the loser's
   * insert does nothing and it reads the winner's row.
   */
  async findOrCreateUser(user: UserEntity): Promise<UserEntity> {
    const where = { accountSid: user.accountSid, serviceSid: user.serviceSid, identity: user.identity };
    const existing = await this.dataSource.manager.findOneBy(UserEntity, where);
    if (existing) return existing;
    await this.dataSource.createQueryBuilder().insert().into(UserEntity).values(user).orIgnore().execute();
    return this.dataSource.manager.findOneByOrFail(UserEntity, where);
  }
}
