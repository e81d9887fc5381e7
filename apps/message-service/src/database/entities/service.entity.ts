import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { AccountEntity } from './account.entity';
import { SID, TIMESTAMP } from './columns';

export interface ServiceNotificationSettings {
  enabled: boolean;
  template: string | null;
  sound: string | null;
}

/** Service `notifications`, stored in Twilio's own (snake_case) shape. */
export interface ServiceNotifications {
  log_enabled?: boolean;
  new_message?: ServiceNotificationSettings & { badge_count_enabled: boolean };
  added_to_channel?: ServiceNotificationSettings;
  removed_from_channel?: ServiceNotificationSettings;
  invited_to_channel?: ServiceNotificationSettings;
}

/** Service `media`, stored in Twilio's own shape. */
export interface ServiceMedia {
  size_limit_mb?: number;
  compatibility_message?: string | null;
}

export type WebhookMethod = 'GET' | 'POST';

/** A Chat Service instance (`IS…`). Deleting it cascades to roles, users, channels (and below) and bindings. */
@Entity({ name: 'services' })
@Check('ck_services_webhook_method', `"webhook_method" IN ('GET', 'POST')`)
@Index('ix_services_account_created', ['accountSid', 'dateCreated', 'sid'])
export class ServiceEntity {
  @PrimaryColumn({ ...SID, name: 'sid', primaryKeyConstraintName: 'pk_services' })
  sid!: string;

  @Column({ ...SID, name: 'account_sid' })
  @ForeignKey(() => AccountEntity, { name: 'fk_services_account', onDelete: 'CASCADE' })
  accountSid!: string;

  @Column({ name: 'friendly_name', type: 'text' })
  friendlyName!: string;

  // Role references are not FKs: roles are created after their service, and the app checks scope/ownership anyway.
  @Column({ ...SID, name: 'default_service_role_sid', nullable: true })
  defaultServiceRoleSid!: string | null;

  @Column({ ...SID, name: 'default_channel_role_sid', nullable: true })
  defaultChannelRoleSid!: string | null;

  @Column({ ...SID, name: 'default_channel_creator_role_sid', nullable: true })
  defaultChannelCreatorRoleSid!: string | null;

  @Column({ name: 'read_status_enabled', type: 'boolean', default: true })
  readStatusEnabled!: boolean;

  @Column({ name: 'reachability_enabled', type: 'boolean', default: false })
  reachabilityEnabled!: boolean;

  /** Seconds. */
  @Column({ name: 'typing_indicator_timeout', type: 'integer', default: 5 })
  typingIndicatorTimeout!: number;

  /** Seconds; deprecated in Twilio but still returned. */
  @Column({ name: 'consumption_report_interval', type: 'integer', default: 10 })
  consumptionReportInterval!: number;

  /** `limits.channel_members`: enforced on member add (50403). */
  @Column({ name: 'limits_channel_members', type: 'integer', default: 250 })
  limitsChannelMembers!: number;

  /** `limits.user_channels`: enforced against users.joined_channels_count (50208). */
  @Column({ name: 'limits_user_channels', type: 'integer', default: 100 })
  limitsUserChannels!: number;

  @Column({ name: 'pre_webhook_url', type: 'text', nullable: true })
  preWebhookUrl!: string | null;

  @Column({ name: 'post_webhook_url', type: 'text', nullable: true })
  postWebhookUrl!: string | null;

  @Column({ name: 'webhook_method', type: 'varchar', length: 4, default: 'POST' })
  webhookMethod!: WebhookMethod;

  @Column({ name: 'webhook_filters', type: 'text', array: true, default: () => `'{}'` })
  webhookFilters!: string[];

  @Column({ name: 'pre_webhook_retry_count', type: 'integer', default: 0 })
  preWebhookRetryCount!: number;

  @Column({ name: 'post_webhook_retry_count', type: 'integer', default: 0 })
  postWebhookRetryCount!: number;

  @Column({ name: 'notifications', type: 'jsonb', default: () => `'{}'` })
  notifications!: ServiceNotifications;

  @Column({ name: 'media', type: 'jsonb', default: () => `'{}'` })
  media!: ServiceMedia;

  @Column({ ...TIMESTAMP, name: 'date_created' })
  dateCreated!: Date;

  @Column({ ...TIMESTAMP, name: 'date_updated' })
  dateUpdated!: Date;
}
