import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { ChannelEntity } from './channel.entity';
import { ATTRIBUTES, SID, TIMESTAMP } from './columns';

export type MessageType = 'text' | 'media';

/** Message `media`, in Twilio's shape. */
export interface MessageMedia {
  sid: string;
  size: number;
  content_type: string;
  filename: string | null;
}

/**
 * A Message (`IM…`). `index` comes from channels.next_message_index in the insert transaction; the unique
 * (channel_sid, index) is also the keyset for paging and reconnect recovery (`WHERE index > $last ORDER BY index`).
 */
@Entity({ name: 'messages' })
@Check('ck_messages_type', `"type" IN ('text', 'media')`)
@Unique('uq_messages_channel_index', ['channelSid', 'index'])
@Index('uq_messages_channel_idempotency_key', ['channelSid', 'idempotencyKey'], {
  unique: true,
  where: '"idempotency_key" IS NOT NULL',
})
export class MessageEntity {
  @PrimaryColumn({ ...SID, name: 'sid', primaryKeyConstraintName: 'pk_messages' })
  sid!: string;

  @Column({ ...SID, name: 'account_sid' })
  accountSid!: string;

  @Column({ ...SID, name: 'service_sid' })
  serviceSid!: string;

  @Column({ ...SID, name: 'channel_sid' })
  @ForeignKey(() => ChannelEntity, { name: 'fk_messages_channel', onDelete: 'CASCADE' })
  channelSid!: string;

  @Column({ name: 'index', type: 'integer' })
  index!: number;

  /** API field `from` (a reserved word in SQL); `system` for REST sends without From. */
  @Column({ name: 'author', type: 'text', default: 'system' })
  author!: string;

  @Column({ name: 'body', type: 'text', nullable: true })
  body!: string | null;

  @Column({ ...ATTRIBUTES })
  attributes!: string;

  @Column({ name: 'was_edited', type: 'boolean', default: false })
  wasEdited!: boolean;

  @Column({ name: 'last_updated_by', type: 'text', nullable: true })
  lastUpdatedBy!: string | null;

  @Column({ name: 'type', type: 'varchar', length: 8, default: 'text' })
  type!: MessageType;

  @Column({ name: 'media', type: 'jsonb', nullable: true })
  media!: MessageMedia | null;

  /** API field `to`: the channel sid the message was sent to. */
  @Column({ ...SID, name: 'to_sid' })
  toSid!: string;

  /** SDK send key; a retry with the same key finds the original message instead of inserting (23505). */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ ...TIMESTAMP, name: 'date_created' })
  dateCreated!: Date;

  @Column({ ...TIMESTAMP, name: 'date_updated' })
  dateUpdated!: Date;
}
