import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An identity's invites across a Service, in channel order: the SDK's subscribed channels and the channels of a
 * session at connect (members are found by user, on uq_members_user_channel).
 */
export class InvitesByIdentity1765000000000 implements MigrationInterface {
  name = 'InvitesByIdentity1765000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_invites_service_identity" ON "invites" ("service_sid", "identity", "channel_sid")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_invites_service_identity"`);
  }
}
