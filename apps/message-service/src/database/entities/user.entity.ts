import { Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { ATTRIBUTES, SID, TIMESTAMP } from './columns';
import { ServiceEntity } from './service.entity';

/**
 * A chat User (`US…`), one per identity per service. `is_online` / `is_notifiable` are not stored: presence-service
 * owns them. Deleting a user cascades to its members and bindings (counters are the app's job, see members).
 */
@Entity({ name: 'users' })
@Unique('uq_users_service_identity', ['serviceSid', 'identity'])
@Index('ix_users_service_sid', ['serviceSid', 'sid'])
export class UserEntity {
  @PrimaryColumn({ ...SID, name: 'sid', primaryKeyConstraintName: 'pk_users' })
  sid!: string;

  @Column({ ...SID, name: 'account_sid' })
  accountSid!: string;

  @Column({ ...SID, name: 'service_sid' })
  @ForeignKey(() => ServiceEntity, { name: 'fk_users_service', onDelete: 'CASCADE' })
  serviceSid!: string;

  @Column({ name: 'identity', type: 'text' })
  identity!: string;

  /** Service-scope (`deployment`) role; not an FK, see services. */
  @Column({ ...SID, name: 'role_sid', nullable: true })
  roleSid!: string | null;

  @Column({ name: 'friendly_name', type: 'text', nullable: true })
  friendlyName!: string | null;

  @Column({ ...ATTRIBUTES })
  attributes!: string;

  /** Changes in the same transaction as the member rows it counts. */
  @Column({ name: 'joined_channels_count', type: 'integer', default: 0 })
  joinedChannelsCount!: number;

  @Column({ ...TIMESTAMP, name: 'date_created' })
  dateCreated!: Date;

  @Column({ ...TIMESTAMP, name: 'date_updated' })
  dateUpdated!: Date;
}
