import { updateServiceParamsSchema, type UpdateServiceParams } from '@parley/contracts';
import type { ServiceEntity } from '../database/entities';
import {
  applyServiceUpdate,
  completeNotifications,
  defaultRolesProblem,
  newServiceRow,
  requestedDefaultRoles,
} from './service-settings';

const IS = `IS${'b'.repeat(32)}`;
const RL = (c: string) => `RL${c.repeat(32)}`;
const created = new Date('2020-01-01T00:00:00Z');
const later = new Date('2020-01-02T00:00:00Z');

const fresh = (): ServiceEntity =>
  newServiceRow({
    sid: IS,
    accountSid: `AC${'a'.repeat(32)}`,
    friendlyName: 'chat',
    roles: { service: RL('1'), channel: RL('2'), channelCreator: RL('3') },
    now: created,
  });

/** Parameters as a form-encoded REST request sends them (strings), through the contract. */
const form = (fields: Record<string, string | string[]>): UpdateServiceParams => updateServiceParamsSchema.parse({ Sid: IS, ...fields });

describe('applyServiceUpdate', () => {
  it.each<[string, Record<string, string | string[]>, Partial<ServiceEntity>]>([
    ['FriendlyName', { FriendlyName: 'renamed' }, { friendlyName: 'renamed' }],
    ['booleans as strings', { ReachabilityEnabled: 'true', ReadStatusEnabled: 'false' }, { reachabilityEnabled: true, readStatusEnabled: false }],
    ['integers as strings', { TypingIndicatorTimeout: '9', ConsumptionReportInterval: '30' }, { typingIndicatorTimeout: 9, consumptionReportInterval: 30 }],
    ['dotted limits', { 'Limits.ChannelMembers': '10', 'Limits.UserChannels': '20' }, { limitsChannelMembers: 10, limitsUserChannels: 20 }],
    ['webhooks', { PreWebhookUrl: 'https://a.example/pre', PostWebhookUrl: 'http://b.example/post', WebhookMethod: 'GET' }, { preWebhookUrl: 'https://a.example/pre', postWebhookUrl: 'http://b.example/post', webhookMethod: 'GET' }],
    ['one webhook filter', { WebhookFilters: 'onMessageSend' }, { webhookFilters: ['onMessageSend'] }],
    ['repeated webhook filters', { WebhookFilters: ['onMessageSend', 'onChannelAdd'] }, { webhookFilters: ['onMessageSend', 'onChannelAdd'] }],
    ['retry counts', { PreWebhookRetryCount: '2', PostWebhookRetryCount: '3' }, { preWebhookRetryCount: 2, postWebhookRetryCount: 3 }],
    ['default roles', { DefaultServiceRoleSid: RL('4'), DefaultChannelRoleSid: RL('5'), DefaultChannelCreatorRoleSid: RL('6') }, { defaultServiceRoleSid: RL('4'), defaultChannelRoleSid: RL('5'), defaultChannelCreatorRoleSid: RL('6') }],
  ])('applies %s and keeps the rest', (_, fields, expected) => {
    const before = fresh();
    const after = applyServiceUpdate(before, form(fields), later);
    expect(after).toEqual({ ...before, ...expected, dateUpdated: later });
    expect(before.dateUpdated).toBe(created);
  });

  it('applies dotted notification keys without touching the other notification settings', () => {
    const after = applyServiceUpdate(
      fresh(),
      form({
        'Notifications.NewMessage.Enabled': 'true',
        'Notifications.NewMessage.Template': 'New: ${MESSAGE}',
        'Notifications.NewMessage.BadgeCountEnabled': 'true',
        'Notifications.AddedToChannel.Sound': 'ding',
        'Notifications.LogEnabled': 'true',
      }),
      later,
    );
    expect(after.notifications).toEqual({
      log_enabled: true,
      new_message: { enabled: true, template: 'New: ${MESSAGE}', sound: null, badge_count_enabled: true },
      added_to_channel: { enabled: false, template: null, sound: 'ding' },
      removed_from_channel: { enabled: false, template: null, sound: null },
      invited_to_channel: { enabled: false, template: null, sound: null },
    });
  });

  it('keeps earlier notification changes when a later update sets another key', () => {
    const once = applyServiceUpdate(fresh(), form({ 'Notifications.InvitedToChannel.Enabled': 'true' }), later);
    const twice = applyServiceUpdate(once, form({ 'Notifications.InvitedToChannel.Template': 'Join ${CHANNEL}' }), later);
    expect(twice.notifications.invited_to_channel).toEqual({ enabled: true, template: 'Join ${CHANNEL}', sound: null });
  });

  it('sets the media compatibility message and keeps the size limit', () => {
    const after = applyServiceUpdate(fresh(), form({ 'Media.CompatibilityMessage': 'media!' }), later);
    expect(after.media).toEqual({ size_limit_mb: 150, compatibility_message: 'media!' });
  });

  it('with no parameters only bumps date_updated', () => {
    const before = fresh();
    expect(applyServiceUpdate(before, form({}), later)).toEqual({ ...before, dateUpdated: later });
  });

  it('completes settings stored before a field existed', () => {
    expect(completeNotifications({}).new_message).toEqual({ enabled: false, template: null, sound: null, badge_count_enabled: false });
  });
});

describe('default role checks', () => {
  const roles = [
    { sid: RL('1'), type: 'deployment' as const },
    { sid: RL('2'), type: 'channel' as const },
  ];

  it('lists the role sids an update names', () => {
    expect(requestedDefaultRoles(form({ DefaultServiceRoleSid: RL('1'), FriendlyName: 'x' }))).toEqual([RL('1')]);
    expect(requestedDefaultRoles(form({}))).toEqual([]);
  });

  it.each<[string, Record<string, string>, { code: number; status: number } | null]>([
    ['no role parameters', {}, null],
    ['a deployment role as service default', { DefaultServiceRoleSid: RL('1') }, null],
    ['channel roles as channel defaults', { DefaultChannelRoleSid: RL('2'), DefaultChannelCreatorRoleSid: RL('2') }, null],
    ['an unknown service role', { DefaultServiceRoleSid: RL('9') }, { code: 50100, status: 400 }],
    ['a channel role as service default', { DefaultServiceRoleSid: RL('2') }, { code: 50100, status: 400 }],
    ['an unknown channel role', { DefaultChannelRoleSid: RL('9') }, { code: 50101, status: 400 }],
    ['a deployment role as channel default', { DefaultChannelRoleSid: RL('1') }, { code: 50101, status: 400 }],
    ['a deployment role as channel creator default', { DefaultChannelCreatorRoleSid: RL('1') }, { code: 50101, status: 400 }],
  ])('%s', (_, fields, expected) => {
    const problem = defaultRolesProblem(form(fields), roles);
    expect(problem ? { code: problem.code, status: problem.status } : null).toEqual(expected);
  });
});
