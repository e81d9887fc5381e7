import { updateUserParamsSchema, userResourceSchema } from '@parley/contracts';
import type { UserEntity } from '../database/entities';
import { presentUser } from './user.presenter';
import { applyUserUpdate, newUserRow } from './user-rows';

const AC = `AC${'a'.repeat(32)}`;
const IS = `IS${'b'.repeat(32)}`;
const US = `US${'c'.repeat(32)}`;
const RL = (c: string) => `RL${c.repeat(32)}`;
const created = new Date('2020-01-01T00:00:00.123Z');
const later = new Date('2020-01-02T00:00:00Z');

const fresh = (): UserEntity => newUserRow({ sid: US, accountSid: AC, serviceSid: IS, identity: 'alice', roleSid: RL('1'), now: created });

describe('newUserRow', () => {
  it("has Twilio's defaults: attributes {}, no friendly name, no channels", () => {
    expect(fresh()).toEqual({
      sid: US,
      accountSid: AC,
      serviceSid: IS,
      identity: 'alice',
      roleSid: RL('1'),
      friendlyName: null,
      attributes: '{}',
      joinedChannelsCount: 0,
      dateCreated: created,
      dateUpdated: created,
    });
  });
});

describe('applyUserUpdate', () => {
  const form = (fields: Record<string, string>) => updateUserParamsSchema.parse({ ServiceSid: IS, Sid: 'alice', ...fields });

  it.each<[string, Record<string, string>, Partial<UserEntity>]>([
    ['nothing', {}, {}],
    ['FriendlyName', { FriendlyName: 'Alice' }, { friendlyName: 'Alice' }],
    ['an empty FriendlyName', { FriendlyName: '' }, { friendlyName: '' }],
    ['Attributes', { Attributes: '{"a":1}' }, { attributes: '{"a":1}' }],
    ['RoleSid', { RoleSid: RL('2') }, { roleSid: RL('2') }],
    ['everything', { FriendlyName: 'A', Attributes: '{}', RoleSid: RL('3') }, { friendlyName: 'A', attributes: '{}', roleSid: RL('3') }],
  ])('applies %s, keeps the rest and bumps date_updated', (_, fields, expected) => {
    const before = fresh();
    expect(applyUserUpdate(before, form(fields), later)).toEqual({ ...before, ...expected, dateUpdated: later });
    expect(before.dateUpdated).toBe(created);
  });

  it.each([
    ['attributes that are not JSON', { Attributes: 'nope' }],
    ['attributes that are a JSON array', { Attributes: '[1]' }],
    ['attributes over 16 KiB', { Attributes: JSON.stringify({ a: 'x'.repeat(16 * 1024) }) }],
    ['a malformed role sid', { RoleSid: 'RL1' }],
    ['a webhook header that is no boolean', { 'X-Twilio-Webhook-Enabled': 'maybe' }],
  ])('the contract refuses %s', (_, fields) => {
    expect(updateUserParamsSchema.safeParse({ ServiceSid: IS, Sid: 'alice', ...fields }).success).toBe(false);
  });
});

describe('presentUser', () => {
  it('renders chat.v2.service.user without url/links, reachability unknown by default', () => {
    const resource = presentUser({ ...fresh(), friendlyName: 'Alice', joinedChannelsCount: 3 });
    expect(resource).toEqual({
      sid: US,
      account_sid: AC,
      service_sid: IS,
      attributes: '{}',
      friendly_name: 'Alice',
      role_sid: RL('1'),
      identity: 'alice',
      is_online: null,
      is_notifiable: null,
      date_created: '2020-01-01T00:00:00Z',
      date_updated: '2020-01-01T00:00:00Z',
      joined_channels_count: 3,
    });
    expect(userResourceSchema.safeParse(resource).success).toBe(true);
  });

  it('carries a known reachability', () => {
    expect(presentUser(fresh(), { is_online: true, is_notifiable: false })).toMatchObject({ is_online: true, is_notifiable: false });
  });
});
