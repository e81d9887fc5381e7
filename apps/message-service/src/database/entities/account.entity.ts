import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { SID, TIMESTAMP } from './columns';

export type AccountStatus = 'active' | 'suspended' | 'closed';
export type AccountType = 'Full' | 'Trial';

/** A tenant. Its own `sid` is the account sid every other row carries. */
@Entity({ name: 'accounts' })
@Check('ck_accounts_status', `"status" IN ('active', 'suspended', 'closed')`)
@Check('ck_accounts_type', `"type" IN ('Full', 'Trial')`)
@Index('ix_accounts_owner_sid', ['ownerAccountSid', 'sid'])
export class AccountEntity {
  @PrimaryColumn({ ...SID, name: 'sid', primaryKeyConstraintName: 'pk_accounts' })
  sid!: string;

  @Column({ name: 'friendly_name', type: 'text' })
  friendlyName!: string;

  @Column({ name: 'status', type: 'varchar', length: 16, default: 'active' })
  status!: AccountStatus;

  @Column({ name: 'type', type: 'varchar', length: 8, default: 'Full' })
  type!: AccountType;

  /** Parent account of a subaccount; closing/deleting the parent takes its subaccounts with it. */
  @Column({ ...SID, name: 'owner_account_sid', nullable: true })
  @ForeignKey(() => AccountEntity, { name: 'fk_accounts_owner', onDelete: 'CASCADE' })
  ownerAccountSid!: string | null;

  /** Verifies Basic auth without keeping the token in clear. */
  @Column({ name: 'auth_token_hash', type: 'text' })
  authTokenHash!: string;

  /** Twilio returns a subaccount's auth token on create/fetch, so an encrypted copy is kept (server key). */
  @Column({ name: 'auth_token_encrypted', type: 'text', nullable: true })
  authTokenEncrypted!: string | null;

  @Column({ ...TIMESTAMP, name: 'date_created' })
  dateCreated!: Date;

  @Column({ ...TIMESTAMP, name: 'date_updated' })
  dateUpdated!: Date;
}
