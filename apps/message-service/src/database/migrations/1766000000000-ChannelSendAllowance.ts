import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Twilio's per-channel limit on SDK sends, kept in the channel row that every send already locks and updates (a token
 * bucket: the allowance left at a moment; NULL means full). It replaces a Redis counter the gateways consulted before
 * each send: one round trip per send fewer, and exact across every replica because the row lock serialises it.
 */
export class ChannelSendAllowance1766000000000 implements MigrationInterface {
  name = 'ChannelSendAllowance1766000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "channels" ADD "send_allowance" double precision, ADD "send_allowance_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "channels" DROP COLUMN "send_allowance_at", DROP COLUMN "send_allowance"`);
  }
}
