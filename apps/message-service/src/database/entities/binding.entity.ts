import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { SID, TIMESTAMP } from './columns';
import { CredentialEntity, PushType } from './credential.entity';
import { ServiceEntity } from './service.entity';
import { UserEntity } from './user.entity';

/**
 * A push Binding (`BS…`), created by client push registration. One row per device endpoint and push type in a
 * service: a device that registers under another identity takes the row over (upsert on the unique key).
 */
@Entity({ name: 'bindings' })
@Check('ck_bindings_binding_type', `"binding_type" IN ('gcm', 'apn', 'fcm')`)
@Unique('uq_bindings_service_endpoint_type', ['serviceSid', 'endpoint', 'bindingType'])
@Index('ix_bindings_service_sid', ['serviceSid', 'sid'])
@Index('ix_bindings_user_sid', ['userSid', 'sid'])
@Index('ix_bindings_credential', ['credentialSid'])
export class BindingEntity {
  @PrimaryColumn({ ...SID, name: 'sid', primaryKeyConstraintName: 'pk_bindings' })
  sid!: string;

  @Column({ ...SID, name: 'account_sid' })
  accountSid!: string;

  @Column({ ...SID, name: 'service_sid' })
  @ForeignKey(() => ServiceEntity, { name: 'fk_bindings_service', onDelete: 'CASCADE' })
  serviceSid!: string;

  @Column({ ...SID, name: 'user_sid' })
  @ForeignKey(() => UserEntity, { name: 'fk_bindings_user', onDelete: 'CASCADE' })
  userSid!: string;

  @Column({ name: 'identity', type: 'text' })
  identity!: string;

  /** Device token / registration id; format depends on binding_type. */
  @Column({ name: 'endpoint', type: 'text' })
  endpoint!: string;

  /** Deleting a credential leaves its bindings without one rather than deleting them. */
  @Column({ ...SID, name: 'credential_sid', nullable: true })
  @ForeignKey(() => CredentialEntity, { name: 'fk_bindings_credential', onDelete: 'SET NULL' })
  credentialSid!: string | null;

  @Column({ name: 'binding_type', type: 'varchar', length: 8 })
  bindingType!: PushType;

  @Column({ name: 'message_types', type: 'text', array: true, default: () => `'{}'` })
  messageTypes!: string[];

  @Column({ ...TIMESTAMP, name: 'date_created' })
  dateCreated!: Date;

  @Column({ ...TIMESTAMP, name: 'date_updated' })
  dateUpdated!: Date;
}
