import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AccountEntity } from './account.entity';
import { SID, TIMESTAMP } from './columns';

export type PushType = 'gcm' | 'apn' | 'fcm';

/**
 * A push Credential (`CR…`), account-level (no service). The secret material is encrypted with the server key and
 * never returned by the API.
 */
@Entity({ name: 'credentials' })
@Check('ck_credentials_type', `"type" IN ('gcm', 'apn', 'fcm')`)
@Index('ix_credentials_account_sid', ['accountSid', 'sid'])
export class CredentialEntity {
  @PrimaryColumn({ ...SID, name: 'sid', primaryKeyConstraintName: 'pk_credentials' })
  sid!: string;

  @Column({ ...SID, name: 'account_sid' })
  @ForeignKey(() => AccountEntity, { name: 'fk_credentials_account', onDelete: 'CASCADE' })
  accountSid!: string;

  @Column({ name: 'friendly_name', type: 'text', nullable: true })
  friendlyName!: string | null;

  @Column({ name: 'type', type: 'varchar', length: 8 })
  type!: PushType;

  /** APN only. */
  @Column({ name: 'sandbox', type: 'boolean', default: false })
  sandbox!: boolean;

  /** APN certificate (PEM). */
  @Column({ name: 'certificate_encrypted', type: 'text', nullable: true })
  certificateEncrypted!: string | null;

  /** APN private key (PEM). */
  @Column({ name: 'private_key_encrypted', type: 'text', nullable: true })
  privateKeyEncrypted!: string | null;

  /** GCM API key. */
  @Column({ name: 'api_key_encrypted', type: 'text', nullable: true })
  apiKeyEncrypted!: string | null;

  /** FCM server key. */
  @Column({ name: 'secret_encrypted', type: 'text', nullable: true })
  secretEncrypted!: string | null;

  @Column({ ...TIMESTAMP, name: 'date_created' })
  dateCreated!: Date;

  @Column({ ...TIMESTAMP, name: 'date_updated' })
  dateUpdated!: Date;
}
