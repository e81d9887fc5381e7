import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { ChannelEntity } from './channel.entity';
import { ATTRIBUTES, SID, TIMESTAMP } from './columns';
import { UserEntity } from './user.entity';

export type NotificationLevel = 'default' | 'muted';

/**
 * A Member (`MB…`): a User in a Channel. Also the row behind the UserChannel resource (notification level,
 * consumption horizon). Cascades from both its channel and its user; the cascade does NOT touch
 * channels.members_count / users.joined_channels_count, so whoever deletes a channel or user adjusts them first.
 */
@Entity({ name: 'members' })
@Check('ck_members_notification_level', `"notification_level" IN ('default', 'muted')`)
@Unique('uq_members_channel_identity', ['channelSid', 'identity'])
@Unique('uq_members_user_channel', ['userSid', 'channelSid'])
@Index('ix_members_channel_sid', ['channelSid', 'sid'])
export class MemberEntity {
  @PrimaryColumn({ ...SID, name: 'sid', primaryKeyConstraintName: 'pk_members' })
  sid!: string;

  @Column({ ...SID, name: 'account_sid' })
  accountSid!: string;

  @Column({ ...SID, name: 'service_sid' })
  serviceSid!: string;

  @Column({ ...SID, name: 'channel_sid' })
  @ForeignKey(() => ChannelEntity, { name: 'fk_members_channel', onDelete: 'CASCADE' })
  channelSid!: string;

  @Column({ name: 'identity', type: 'text' })
  identity!: string;

  /** Adding a member for an unknown identity creates the User first (as Twilio does). */
  @Column({ ...SID, name: 'user_sid' })
  @ForeignKey(() => UserEntity, { name: 'fk_members_user', onDelete: 'CASCADE' })
  userSid!: string;

  /** Channel-scope role; not an FK, see services. */
  @Column({ ...SID, name: 'role_sid', nullable: true })
  roleSid!: string | null;

  @Column({ name: 'last_consumed_message_index', type: 'integer', nullable: true })
  lastConsumedMessageIndex!: number | null;

  @Column({ name: 'last_consumption_timestamp', type: 'timestamptz', nullable: true })
  lastConsumptionTimestamp!: Date | null;

  /** UserChannel `notification_level`. */
  @Column({ name: 'notification_level', type: 'varchar', length: 16, default: 'default' })
  notificationLevel!: NotificationLevel;

  @Column({ ...ATTRIBUTES })
  attributes!: string;

  @Column({ ...TIMESTAMP, name: 'date_created' })
  dateCreated!: Date;

  @Column({ ...TIMESTAMP, name: 'date_updated' })
  dateUpdated!: Date;
}
