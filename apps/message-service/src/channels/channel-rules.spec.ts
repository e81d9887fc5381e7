import { createChannelParamsSchema, updateChannelParamsSchema, type ChannelType } from '@parley/contracts';
import type { ChannelEntity } from '../database/entities';
import { channelChanges, listedTypes, newChannelRow } from './channel-rules';

const IS = `IS${'b'.repeat(32)}`;
const now = new Date('2024-05-01T10:00:00.000Z');

const create = (fields: Record<string, string>) =>
  newChannelRow({ sid: `CH${'c'.repeat(32)}`, accountSid: `AC${'a'.repeat(32)}`, params: createChannelParamsSchema.parse({ ServiceSid: IS, ...fields }), now });

describe('newChannelRow', () => {
  it.each<[string, Record<string, string>, Partial<ChannelEntity>]>([
    ['defaults', {}, { friendlyName: null, uniqueName: null, attributes: '{}', type: 'public', createdBy: 'system', dateCreated: now, dateUpdated: now }],
    ['given fields', { FriendlyName: 'f', UniqueName: 'u', Attributes: '{"a":1}', Type: 'private', CreatedBy: 'ann' }, { friendlyName: 'f', uniqueName: 'u', attributes: '{"a":1}', type: 'private', createdBy: 'ann' }],
    ['an empty unique name as none', { UniqueName: '' }, { uniqueName: null }],
    ['a backfilled creation date, also as update date', { DateCreated: '2015-12-16T22:18:37Z' }, { dateCreated: new Date('2015-12-16T22:18:37Z'), dateUpdated: new Date('2015-12-16T22:18:37Z') }],
    ['both backfilled dates', { DateCreated: '2015-12-16T22:18:37Z', DateUpdated: '2016-01-01T00:00:00+01:00' }, { dateCreated: new Date('2015-12-16T22:18:37Z'), dateUpdated: new Date('2015-12-31T23:00:00Z') }],
  ])('%s', (_, fields, expected) => {
    expect(create(fields)).toMatchObject({ ...expected, membersCount: 0, messagesCount: 0, nextMessageIndex: 0, lastMessageSid: null });
  });
});

describe('channelChanges', () => {
  const current = create({ FriendlyName: 'old', UniqueName: 'old-name', Attributes: '{"k":1}', CreatedBy: 'ann' });
  const later = new Date('2024-06-01T00:00:00Z');
  const update = (fields: Record<string, string>) => channelChanges(current, updateChannelParamsSchema.parse({ ServiceSid: IS, Sid: current.sid, ...fields }), later);

  it.each<[string, Record<string, string>, Partial<ChannelEntity>]>([
    ['nothing but the update date', {}, { friendlyName: 'old', uniqueName: 'old-name', attributes: '{"k":1}', createdBy: 'ann', dateUpdated: later }],
    ['a rename', { FriendlyName: 'new', UniqueName: 'new-name' }, { friendlyName: 'new', uniqueName: 'new-name' }],
    ['clearing the unique name', { UniqueName: '' }, { uniqueName: null }],
    ['attributes and creator', { Attributes: '{}', CreatedBy: 'bob' }, { attributes: '{}', createdBy: 'bob' }],
    ['backfilled dates', { DateCreated: '2010-01-01T00:00:00Z', DateUpdated: '2011-01-01T00:00:00Z' }, { dateCreated: new Date('2010-01-01T00:00:00Z'), dateUpdated: new Date('2011-01-01T00:00:00Z') }],
  ])('applies %s', (_, fields, expected) => {
    expect(update(fields)).toMatchObject(expected);
  });
});

describe('listedTypes', () => {
  it.each<[ChannelType[] | undefined, ChannelType[]]>([
    [undefined, ['public']],
    [[], ['public']],
    [['private'], ['private']],
    [['public', 'private', 'public'], ['private', 'public']],
  ])('%p lists %p', (requested, expected) => {
    expect(listedTypes(requested)).toEqual(expected);
  });
});
