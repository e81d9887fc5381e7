import { serviceResourceSchema } from '@parley/contracts';
import type { ServiceEntity } from '../database/entities';
import { presentService } from './service.presenter';
import { newServiceRow } from './service-settings';

const AC = `AC${'a'.repeat(32)}`;
const IS = `IS${'b'.repeat(32)}`;
const RL = (c: string) => `RL${c.repeat(32)}`;

const fresh = (): ServiceEntity =>
  newServiceRow({
    sid: IS,
    accountSid: AC,
    friendlyName: 'chat',
    roles: { service: RL('1'), channel: RL('2'), channelCreator: RL('3') },
    now: new Date('2015-07-30T20:00:00.789Z'),
  });

describe('presentService', () => {
  it("renders a new service with Twilio's defaults, valid against the contract", () => {
    const resource = presentService(fresh());
    expect(serviceResourceSchema.parse(resource)).toEqual(resource);
    expect(resource).toEqual({
      sid: IS,
      account_sid: AC,
      friendly_name: 'chat',
      date_created: '2015-07-30T20:00:00Z',
      date_updated: '2015-07-30T20:00:00Z',
      default_service_role_sid: RL('1'),
      default_channel_role_sid: RL('2'),
      default_channel_creator_role_sid: RL('3'),
      read_status_enabled: true,
      reachability_enabled: false,
      typing_indicator_timeout: 5,
      consumption_report_interval: 10,
      limits: { channel_members: 250, user_channels: 100 },
      pre_webhook_url: null,
      post_webhook_url: null,
      webhook_method: 'POST',
      webhook_filters: [],
      pre_webhook_retry_count: 0,
      post_webhook_retry_count: 0,
      notifications: {
        log_enabled: false,
        new_message: { enabled: false, template: null, sound: null, badge_count_enabled: false },
        added_to_channel: { enabled: false, template: null, sound: null },
        removed_from_channel: { enabled: false, template: null, sound: null },
        invited_to_channel: { enabled: false, template: null, sound: null },
      },
      media: { size_limit_mb: 150, compatibility_message: null },
    });
  });

  it.each([
    ['empty JSON settings (the column defaults)', { notifications: {}, media: {} }],
    ['partial JSON settings', { notifications: { new_message: { enabled: true, template: 't', sound: null } }, media: { size_limit_mb: 150 } }],
  ] as const)('completes %s with defaults', (_, patch) => {
    const resource = presentService({ ...fresh(), ...(patch as Partial<ServiceEntity>) });
    expect(serviceResourceSchema.safeParse(resource).success).toBe(true);
    expect(resource.notifications.new_message.badge_count_enabled).toBe(false);
    expect(resource.notifications.invited_to_channel).toEqual({ enabled: false, template: null, sound: null });
    expect(resource.media).toEqual({ size_limit_mb: 150, compatibility_message: null });
  });

  it('renders dates at second precision in UTC', () => {
    const resource = presentService({ ...fresh(), dateUpdated: new Date('2020-01-02T03:04:05.999+02:00') });
    expect(resource.date_updated).toBe('2020-01-02T01:04:05Z');
  });
});
