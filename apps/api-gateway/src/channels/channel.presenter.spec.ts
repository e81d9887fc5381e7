import { createChannelParamsSchema, listChannelParamsSchema, parseParams, type ChannelResource } from '@parley/contracts';
import { PublicUrls } from '../http/urls';
import { presentUserChannel } from '../user-channels/user-channel.presenter';
import { presentChannel } from './channel.presenter';

const base = 'https://chat.example.com';
const IS = `IS${'a'.repeat(32)}`;
const CH = `CH${'b'.repeat(32)}`;
const urls = new PublicUrls(base);

const channel: ChannelResource = {
  sid: CH,
  account_sid: `AC${'c'.repeat(32)}`,
  service_sid: IS,
  friendly_name: null,
  unique_name: null,
  attributes: '{}',
  type: 'public',
  date_created: '2024-01-01T00:00:00Z',
  date_updated: '2024-01-01T00:00:00Z',
  created_by: 'system',
  members_count: 0,
  messages_count: 0,
  last_message: null,
};

describe('REST presenters of channels', () => {
  it('adds url and links, and drops the internal last_message field', () => {
    const json = presentChannel(urls, channel);
    const url = `${base}/v2/Services/${IS}/Channels/${CH}`;
    expect(json.url).toBe(url);
    expect(json.links).toEqual({ members: `${url}/Members`, messages: `${url}/Messages`, invites: `${url}/Invites`, webhooks: `${url}/Webhooks`, last_message: null });
    expect(json).not.toHaveProperty('last_message');
  });

  it('never renders an SDK user\'s membership', () => {
    const json = presentChannel(urls, {
      ...channel,
      membership: { status: 'joined', last_consumed_message_index: 1, member_sid: `MB${'e'.repeat(32)}`, unread_messages_count: 0, notification_level: 'default' },
    });
    expect(json).not.toHaveProperty('membership');
    expect(Object.keys(json).sort()).toEqual(Object.keys(presentChannel(urls, channel)).sort());
  });

  it('links the last message when there is one', () => {
    const IM = `IM${'d'.repeat(32)}`;
    const json = presentChannel(urls, { ...channel, last_message: { sid: IM, index: 4, date_created: null } });
    expect(json.links.last_message).toBe(`${base}/v2/Services/${IS}/Channels/${CH}/Messages/${IM}`);
  });

  it.each([
    ['a membership', `MB${'e'.repeat(32)}`, `${base}/v2/Services/${IS}/Channels/${CH}/Members/MB${'e'.repeat(32)}`],
    ['an invite', null, null],
  ])('links a user channel of %s', (_, memberSid, memberUrl) => {
    const US = `US${'f'.repeat(32)}`;
    const json = presentUserChannel(urls, {
      account_sid: channel.account_sid,
      service_sid: IS,
      channel_sid: CH,
      user_sid: US,
      member_sid: memberSid,
      status: memberSid ? 'joined' : 'invited',
      last_consumed_message_index: null,
      unread_messages_count: null,
      notification_level: 'default',
    });
    expect(json.url).toBe(`${base}/v2/Services/${IS}/Users/${US}/Channels/${CH}`);
    expect(json.links).toEqual({ channel: `${base}/v2/Services/${IS}/Channels/${CH}`, member: memberUrl });
  });
});

describe('channel parameters as the edge validates them', () => {
  const outcome = (run: () => unknown) => {
    try {
      return run();
    } catch (err) {
      return { code: (err as { code: number }).code, message: (err as Error).message };
    }
  };

  it.each<[string, Record<string, unknown>, unknown]>([
    ['a valid create', { UniqueName: 'room', Type: 'private' }, { ServiceSid: IS, UniqueName: 'room', Type: 'private' }],
    ['a sid-shaped unique name', { UniqueName: `CH${'1'.repeat(32)}` }, { code: 20001, message: expect.stringMatching(/^Invalid parameter: UniqueName/) }],
    ['a long unique name', { UniqueName: 'x'.repeat(65) }, { code: 20001, message: expect.stringMatching(/^Invalid parameter: UniqueName/) }],
    ['array attributes', { Attributes: '[]' }, { code: 20001, message: expect.stringMatching(/^Invalid parameter: Attributes/) }],
    ['an unknown type', { Type: 'secret' }, { code: 20001, message: expect.stringMatching(/^Invalid parameter: Type/) }],
    ['a bad backfill date', { DateCreated: 'yesterday' }, { code: 20001, message: expect.stringMatching(/^Invalid parameter: DateCreated/) }],
  ])('%s', (_, fields, expected) => {
    expect(outcome(() => parseParams(createChannelParamsSchema, { ServiceSid: IS, ...fields }))).toEqual(expected);
  });

  it.each<[string | string[] | undefined, unknown]>([
    [undefined, undefined],
    ['private', ['private']],
    [['public', 'private'], ['public', 'private']],
  ])('reads Type=%p as %p', (type, expected) => {
    expect(parseParams(listChannelParamsSchema, { ServiceSid: IS, Type: type }).Type).toEqual(expected);
  });
});
