import { Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { ChannelEntity } from './channel.entity';
import { SID, TIMESTAMP } from './columns';

/** An Invite (`IN…`) of an identity to a channel; at most one pending per identity (50212). */
@Entity({ name: 'invites' })
@Unique('uq_invites_channel_identity', ['channelSid', 'identity'])
@Index('ix_invites_channel_sid', ['channelSid', 'sid'])
@Index('ix_invites_service_identity', ['serviceSid', 'identity', 'channelSid'])
export class InviteEntity {
  @PrimaryColumn({ ...SID, name: 'sid', primaryKeyConstraintName: 'pk_invites' })
  sid!: string;

  @Column({ ...SID, name: 'account_sid' })
  accountSid!: string;

  @Column({ ...SID, name: 'service_sid' })
  serviceSid!: string;

  @Column({ ...SID, name: 'channel_sid' })
  @ForeignKey(() => ChannelEntity, { name: 'fk_invites_channel', onDelete: 'CASCADE' })
  channelSid!: string;

  /** By identity, not user sid: the invitee need not have a User yet. */
  @Column({ name: 'identity', type: 'text' })
  identity!: string;

  /** Channel-scope role the member gets on accepting; not an FK, see services. */
  @Column({ ...SID, name: 'role_sid', nullable: true })
  roleSid!: string | null;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy!: string | null;

  @Column({ ...TIMESTAMP, name: 'date_created' })
  dateCreated!: Date;

  @Column({ ...TIMESTAMP, name: 'date_updated' })
  dateUpdated!: Date;
}
