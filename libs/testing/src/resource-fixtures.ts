import type { ServiceResource } from '@parley/contracts';

const NO_NOTIFICATION = { enabled: false, template: null, sound: null };

/**
 * A Service resource as message-service answers it, with Twilio's defaults, for tests that stand in for
 * message-service (a canned reply, an event to publish). `overrides` replace whole fields.
 */
export function serviceResourceFixture(overrides: Partial<ServiceResource> & Pick<ServiceResource, 'sid' | 'account_sid'>): ServiceResource {
  return {
    friendly_name: 'service',
    date_created: '2025-01-01T00:00:00Z',
    date_updated: '2025-01-01T00:00:00Z',
    default_service_role_sid: null,
    default_channel_role_sid: null,
    default_channel_creator_role_sid: null,
    read_status_enabled: true,
    reachability_enabled: false,
    typing_indicator_timeout: 5,
    consumption_report_interval: 10,
    limits: { channel_members: 100, user_channels: 250 },
    pre_webhook_url: null,
    post_webhook_url: null,
    webhook_method: 'POST',
    webhook_filters: null,
    pre_webhook_retry_count: 0,
    post_webhook_retry_count: 0,
    notifications: {
      log_enabled: false,
      new_message: { ...NO_NOTIFICATION, badge_count_enabled: false },
      added_to_channel: NO_NOTIFICATION,
      removed_from_channel: NO_NOTIFICATION,
      invited_to_channel: NO_NOTIFICATION,
    },
    media: { size_limit_mb: 150, compatibility_message: null },
    ...overrides,
  };
}
