import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ChannelEntity } from './channel.entity';
import { SID, TIMESTAMP } from './columns';

export type ChannelWebhookType = 'webhook' | 'studio' | 'trigger';

/** Channel webhook `configuration`, in Twilio's shape. */
export interface ChannelWebhookConfiguration {
  url?: string | null;
  method?: 'GET' | 'POST' | null;
  filters?: string[] | null;
  triggers?: string[] | null;
  flow_sid?: string | null;
  retry_count?: number | null;
}

/** A Channel Webhook (`WH…`). */
@Entity({ name: 'channel_webhooks' })
@Check('ck_channel_webhooks_type', `"type" IN ('webhook', 'studio', 'trigger')`)
@Index('ix_channel_webhooks_channel_sid', ['channelSid', 'sid'])
export class ChannelWebhookEntity {
  @PrimaryColumn({ ...SID, name: 'sid', primaryKeyConstraintName: 'pk_channel_webhooks' })
  sid!: string;

  @Column({ ...SID, name: 'account_sid' })
  accountSid!: string;

  @Column({ ...SID, name: 'service_sid' })
  serviceSid!: string;

  @Column({ ...SID, name: 'channel_sid' })
  @ForeignKey(() => ChannelEntity, { name: 'fk_channel_webhooks_channel', onDelete: 'CASCADE' })
  channelSid!: string;

  @Column({ name: 'type', type: 'varchar', length: 16 })
  type!: ChannelWebhookType;

  @Column({ name: 'configuration', type: 'jsonb', default: () => `'{}'` })
  configuration!: ChannelWebhookConfiguration;

  @Column({ ...TIMESTAMP, name: 'date_created' })
  dateCreated!: Date;

  @Column({ ...TIMESTAMP, name: 'date_updated' })
  dateUpdated!: Date;
}
