import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AccountEntity } from './account.entity';
import { SID, TIMESTAMP } from './columns';

/** An API key (`SK…`): Basic-auth credential and HS256 signing key of Access Tokens. */
@Entity({ name: 'api_keys' })
@Index('ix_api_keys_account_sid', ['accountSid', 'sid'])
export class ApiKeyEntity {
  @PrimaryColumn({ ...SID, name: 'sid', primaryKeyConstraintName: 'pk_api_keys' })
  sid!: string;

  @Column({ ...SID, name: 'account_sid' })
  @ForeignKey(() => AccountEntity, { name: 'fk_api_keys_account', onDelete: 'CASCADE' })
  accountSid!: string;

  @Column({ name: 'friendly_name', type: 'text', nullable: true })
  friendlyName!: string | null;

  /** Encrypted, not hashed: the clear secret is needed to verify token signatures. */
  @Column({ name: 'secret_encrypted', type: 'text' })
  secretEncrypted!: string;

  @Column({ ...TIMESTAMP, name: 'date_created' })
  dateCreated!: Date;

  @Column({ ...TIMESTAMP, name: 'date_updated' })
  dateUpdated!: Date;
}
