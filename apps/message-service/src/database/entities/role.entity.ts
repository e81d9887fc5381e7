import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { SID, TIMESTAMP } from './columns';
import { ServiceEntity } from './service.entity';

/** `deployment` = service-scope role (given to Users), `channel` = channel-scope role (given to Members). */
export type RoleType = 'channel' | 'deployment';

@Entity({ name: 'roles' })
@Check('ck_roles_type', `"type" IN ('channel', 'deployment')`)
@Unique('uq_roles_service_friendly_name', ['serviceSid', 'friendlyName'])
@Index('ix_roles_service_sid', ['serviceSid', 'sid'])
export class RoleEntity {
  @PrimaryColumn({ ...SID, name: 'sid', primaryKeyConstraintName: 'pk_roles' })
  sid!: string;

  @Column({ ...SID, name: 'account_sid' })
  accountSid!: string;

  @Column({ ...SID, name: 'service_sid' })
  @ForeignKey(() => ServiceEntity, { name: 'fk_roles_service', onDelete: 'CASCADE' })
  serviceSid!: string;

  @Column({ name: 'friendly_name', type: 'text' })
  friendlyName!: string;

  @Column({ name: 'type', type: 'varchar', length: 16 })
  type!: RoleType;

  /** The full set; UpdateRole replaces it. */
  @Column({ name: 'permissions', type: 'text', array: true, default: () => `'{}'` })
  permissions!: string[];

  @Column({ ...TIMESTAMP, name: 'date_created' })
  dateCreated!: Date;

  @Column({ ...TIMESTAMP, name: 'date_updated' })
  dateUpdated!: Date;
}
