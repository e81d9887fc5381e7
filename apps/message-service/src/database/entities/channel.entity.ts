import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ATTRIBUTES, SID, TIMESTAMP } from './columns';
import { ServiceEntity } from './service.entity';

export type ChannelType = 'public' | 'private';

/**
 * A Channel (`CH…`). The row is also the per-channel message counter: a message insert first runs
 * `UPDATE channels SET next_message_index = next_message_index + 1, messages_count = messages_count + 1
 *  WHERE sid = $1 AND service_sid = $2 RETURNING next_message_index - 1 AS index`
 * in the same transaction, so the row lock serialises sends per channel and an index never repeats.
 */
@Entity({ name: 'channels' })
@Check('ck_channels_type', `"type" IN ('public', 'private')`)
@Index('uq_channels_service_unique_name', ['serviceSid', 'uniqueName'], {
  unique: true,
  where: '"unique_name" IS NOT NULL',
})
@Index('ix_channels_service_sid', ['serviceSid', 'sid'])
@Index('ix_channels_service_type_sid', ['serviceSid', 'type', 'sid'])
export class ChannelEntity {
  @PrimaryColumn({ ...SID, name: 'sid', primaryKeyConstraintName: 'pk_channels' })
  sid!: string;

  @Column({ ...SID, name: 'account_sid' })
  accountSid!: string;

  @Column({ ...SID, name: 'service_sid' })
  @ForeignKey(() => ServiceEntity, { name: 'fk_channels_service', onDelete: 'CASCADE' })
  serviceSid!: string;

  @Column({ name: 'friendly_name', type: 'text', nullable: true })
  friendlyName!: string | null;

  @Column({ name: 'unique_name', type: 'text', nullable: true })
  uniqueName!: string | null;

  @Column({ ...ATTRIBUTES })
  attributes!: string;

  @Column({ name: 'type', type: 'varchar', length: 16, default: 'public' })
  type!: ChannelType;

  /** Identity of the creator, `system` for REST-created channels. */
  @Column({ name: 'created_by', type: 'text', default: 'system' })
  createdBy!: string;

  @Column({ name: 'members_count', type: 'integer', default: 0 })
  membersCount!: number;

  @Column({ name: 'messages_count', type: 'integer', default: 0 })
  messagesCount!: number;

  /** Index the next message gets; indexes start at 0. */
  @Column({ name: 'next_message_index', type: 'integer', default: 0 })
  nextMessageIndex!: number;

  /** Latest message (Channel links.last_message, SDK `lastMessage`); null when the channel has none. */
  @Column({ ...SID, name: 'last_message_sid', nullable: true })
  lastMessageSid!: string | null;

  @Column({ name: 'last_message_index', type: 'integer', nullable: true })
  lastMessageIndex!: number | null;

  @Column({ name: 'last_message_date', type: 'timestamptz', nullable: true })
  lastMessageDate!: Date | null;

  /**
   * What is left of the channel's allowance of SDK sends (a token bucket of CHANNEL_ACTIONS_PER_SECOND, holding twice
   * that) at `sendAllowanceAt`; null: full. Only the send statement reads and writes it (messages.repository.ts), so
   * the app's channel objects leave it out (optional here) and no other write touches it.
   */
  @Column({ name: 'send_allowance', type: 'double precision', nullable: true })
  sendAllowance?: number | null;

  @Column({ name: 'send_allowance_at', type: 'timestamptz', nullable: true })
  sendAllowanceAt?: Date | null;

  @Column({ ...TIMESTAMP, name: 'date_created' })
  dateCreated!: Date;

  @Column({ ...TIMESTAMP, name: 'date_updated' })
  dateUpdated!: Date;
}
