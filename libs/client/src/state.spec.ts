import {
  channelStateFrom,
  channelUpdateReasons,
  memberStateFrom,
  memberUpdateReasons,
  messageStateFrom,
  messageUpdateReasons,
  parseAttributes,
  sameValue,
  userStateFrom,
  userUpdateReasons,
} from './state';
import type { ChannelWire, MemberWire, MessageWire, UserWire } from './wire';

const channel: ChannelWire = {
  sid: 'CH00000000000000000000000000000001',
  friendly_name: 'General',
  unique_name: 'general',
  attributes: '{"topic":"x","tags":["a"]}',
  type: 'public',
  date_created: '2024-01-01T00:00:00Z',
  date_updated: '2024-01-01T00:00:00Z',
  created_by: 'alice',
  members_count: 2,
  messages_count: 10,
  last_message: { index: 9, date_created: '2024-01-02T00:00:00Z' },
  membership: { status: 'joined', last_consumed_message_index: 3, member_sid: 'MB1' },
};

const message: MessageWire = {
  sid: 'IM1',
  channel_sid: channel.sid,
  attributes: '{}',
  date_created: '2024-01-01T00:00:00Z',
  date_updated: '2024-01-01T00:00:00Z',
  last_updated_by: null,
  from: 'alice',
  body: 'hello',
  index: 4,
};

const member: MemberWire = {
  sid: 'MB2',
  channel_sid: channel.sid,
  identity: 'bob',
  date_created: '2024-01-01T00:00:00Z',
  date_updated: '2024-01-01T00:00:00Z',
  role_sid: 'RL1',
  last_consumed_message_index: null,
  last_consumption_timestamp: null,
  attributes: '{}',
};

const user: UserWire = { identity: 'bob', friendly_name: 'Bob', attributes: '{"a":1}', is_online: false, is_notifiable: null };

describe('parsing', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    [{ a: 1 }, { a: 1 }],
    ['not json', {}],
    ['[1,2]', {}],
    ['"text"', {}],
    [null, {}],
    [undefined, {}],
  ])('attributes %p → %p', (input, expected) => {
    expect(parseAttributes(input)).toEqual(expected);
  });

  it('maps a channel resource with membership and last message', () => {
    expect(channelStateFrom(channel)).toMatchObject({
      uniqueName: 'general',
      friendlyName: 'General',
      attributes: { topic: 'x', tags: ['a'] },
      createdBy: 'alice',
      dateCreated: new Date('2024-01-01T00:00:00Z'),
      type: 'public',
      status: 'joined',
      lastConsumedMessageIndex: 3,
      lastMessage: { index: 9, dateCreated: new Date('2024-01-02T00:00:00Z') },
      notificationLevel: 'default',
      membersCount: 2,
      messagesCount: 10,
      memberSid: 'MB1',
    });
  });

  it('keeps membership and last message when a resource does not carry them', () => {
    const prev = channelStateFrom(channel);
    const next = channelStateFrom({ ...channel, friendly_name: 'Renamed', membership: undefined, last_message: undefined }, prev);
    expect(next).toMatchObject({ status: 'joined', lastConsumedMessageIndex: 3, lastMessage: prev.lastMessage, friendlyName: 'Renamed' });
    expect(channelStateFrom({ ...channel, membership: null }, prev).status).toBe('notParticipating');
    expect(channelStateFrom({ ...channel, membership: undefined }).status).toBe('unknown');
  });

  it('merges partial user updates (reachability only)', () => {
    const prev = userStateFrom(user);
    expect(userStateFrom({ identity: 'bob', is_online: true }, prev)).toEqual({ ...prev, online: true });
  });
});

describe('update reasons', () => {
  it.each<{ change: Partial<ChannelWire>; reasons: string[] }>([
    { change: {}, reasons: [] },
    { change: { friendly_name: 'Other' }, reasons: ['friendlyName'] },
    { change: { unique_name: null }, reasons: ['uniqueName'] },
    { change: { attributes: '{"tags":["a"],"topic":"x"}' }, reasons: [] },
    { change: { attributes: '{"topic":"y","tags":["a"]}' }, reasons: ['attributes'] },
    { change: { date_updated: '2024-01-05T00:00:00Z' }, reasons: ['dateUpdated'] },
    { change: { date_updated: '2024-01-01T00:00:00.000Z' }, reasons: [] },
    { change: { created_by: 'system' }, reasons: ['createdBy'] },
    { change: { last_message: { index: 10, date_created: '2024-01-03T00:00:00Z' } }, reasons: ['lastMessage'] },
    { change: { membership: { status: 'joined', last_consumed_message_index: 9, member_sid: 'MB1' } }, reasons: ['lastConsumedMessageIndex'] },
    { change: { membership: null }, reasons: ['lastConsumedMessageIndex', 'status'] },
    {
      change: { membership: { status: 'joined', last_consumed_message_index: 3, member_sid: 'MB1', notification_level: 'muted' } },
      reasons: ['notificationLevel'],
    },
    { change: { friendly_name: 'x', attributes: '{}', date_updated: '2024-02-01T00:00:00Z' }, reasons: ['attributes', 'dateUpdated', 'friendlyName'] },
  ])('channel $change → $reasons', ({ change, reasons }) => {
    const prev = channelStateFrom(channel);
    expect(channelUpdateReasons(prev, channelStateFrom({ ...channel, ...change }, prev))).toEqual(reasons);
  });

  it.each<{ change: Partial<MessageWire>; reasons: string[] }>([
    { change: {}, reasons: [] },
    { change: { body: 'edited', last_updated_by: 'alice', date_updated: '2024-01-01T00:01:00Z' }, reasons: ['body', 'lastUpdatedBy', 'dateUpdated'] },
    { change: { attributes: '{"pinned":true}' }, reasons: ['attributes'] },
    { change: { attributes: { } }, reasons: [] },
    { change: { from: 'bob' }, reasons: ['author'] },
    { change: { date_created: '2023-12-31T00:00:00Z' }, reasons: ['dateCreated'] },
  ])('message $change → $reasons', ({ change, reasons }) => {
    expect(messageUpdateReasons(messageStateFrom(message), messageStateFrom({ ...message, ...change }))).toEqual(reasons);
  });

  it.each<{ change: Partial<MemberWire>; reasons: string[] }>([
    { change: {}, reasons: [] },
    { change: { last_consumed_message_index: 4, last_consumption_timestamp: '2024-01-02T00:00:00Z' }, reasons: ['lastConsumedMessageIndex', 'lastConsumptionTimestamp'] },
    { change: { role_sid: 'RL2' }, reasons: ['roleSid'] },
    { change: { attributes: '{"x":1}', date_updated: '2024-01-09T00:00:00Z' }, reasons: ['attributes', 'dateUpdated'] },
  ])('member $change → $reasons', ({ change, reasons }) => {
    expect(memberUpdateReasons(memberStateFrom(member), memberStateFrom({ ...member, ...change }))).toEqual(reasons);
  });

  it.each<{ change: UserWire; reasons: string[] }>([
    { change: { identity: 'bob' }, reasons: [] },
    { change: { identity: 'bob', friendly_name: 'Robert' }, reasons: ['friendlyName'] },
    { change: { identity: 'bob', attributes: '{"a":2}' }, reasons: ['attributes'] },
    { change: { identity: 'bob', is_online: true }, reasons: ['reachabilityOnline'] },
    { change: { identity: 'bob', is_online: false, is_notifiable: true }, reasons: ['reachabilityNotifiable'] },
    { change: { identity: 'bob', is_online: null }, reasons: ['reachabilityOnline'] },
  ])('user $change → $reasons', ({ change, reasons }) => {
    const prev = userStateFrom(user);
    expect(userUpdateReasons(prev, userStateFrom(change, prev))).toEqual(reasons);
  });

  it.each([
    [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }, true],
    [{ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }, false],
    [{ a: 1 }, { a: 1, b: undefined }, false],
    [[1, 2], { 0: 1, 1: 2 }, false],
    [new Date(5), new Date(5), true],
    [new Date(5), 5, false],
    [null, {}, false],
    [NaN, NaN, true],
  ])('sameValue(%p, %p) = %p', (a, b, same) => {
    expect(sameValue(a, b)).toBe(same);
  });
});
