import { updateMemberParamsSchema } from '@parley/contracts';
import type { MemberEntity } from '../database/entities';
import {
  channelRoleProblem,
  identityProblem,
  lastIndexOf,
  limitProblem,
  memberChanges,
  memberRole,
  nextConsumedIndex,
  type LimitState,
  type RoleChoice,
} from './membership-rules';

const RL = (c: string) => `RL${c.repeat(32)}`;
const codeOf = (problem: { code: number; status: number } | null) => (problem ? [problem.code, problem.status] : null);

describe('limitProblem', () => {
  const base: LimitState = { channelMembers: 0, channelMembersLimit: 2, userChannels: 0, userChannelsLimit: 2 };
  it.each<[string, Partial<LimitState>, [number, number] | null]>([
    ['room on both sides', {}, null],
    ['the last seat of the channel', { channelMembers: 1 }, null],
    ['a full channel', { channelMembers: 2 }, [50403, 403]],
    ['an overfull channel (limit lowered later)', { channelMembers: 5 }, [50403, 403]],
    ['a user at its limit', { userChannels: 2 }, [50208, 403]],
    ['both full: the channel is reported', { channelMembers: 2, userChannels: 2 }, [50403, 403]],
  ])('%s', (_, patch, expected) => {
    expect(codeOf(limitProblem({ ...base, ...patch }))).toEqual(expected);
  });
});

describe('channelRoleProblem', () => {
  it.each<[string, { sid: string; type: 'channel' | 'deployment' } | null, [number, number] | null]>([
    ['a channel role', { sid: RL('1'), type: 'channel' }, null],
    ['a deployment role', { sid: RL('1'), type: 'deployment' }, [50101, 400]],
    ['no role', null, [50101, 400]],
    ['another role', { sid: RL('2'), type: 'channel' }, [50101, 400]],
  ])('%s', (_, role, expected) => {
    expect(codeOf(channelRoleProblem(RL('1'), role))).toEqual(expected);
  });
});

describe('identityProblem', () => {
  it.each<[string, [number, number] | null]>([
    ['alice', null],
    [`US${'a'.repeat(32)}`, [50206, 400]],
    [`US${'a'.repeat(31)}`, null],
    [`MB${'a'.repeat(32)}`, null],
  ])('%s', (identity, expected) => {
    expect(codeOf(identityProblem(identity))).toEqual(expected);
  });
});

describe('memberRole', () => {
  const defaults = { channel: RL('c'), channelCreator: RL('a') };
  it.each<[string, Omit<RoleChoice, 'defaults'>, string]>([
    ['the default channel role', { isCreator: false }, RL('c')],
    ['the requested role', { requested: RL('r'), invited: RL('i'), isCreator: true }, RL('r')],
    ["the invite's role", { invited: RL('i'), isCreator: true }, RL('i')],
    ['the creator role for the creator', { isCreator: true }, RL('a')],
  ])('%s', (_, choice, expected) => {
    expect(memberRole({ ...choice, defaults })).toBe(expected);
  });
});

describe('nextConsumedIndex', () => {
  it.each<[number | null, number | null | 'all', number | null, boolean, number | null]>([
    [null, 3, 9, false, 3],
    [5, 3, 9, false, 3],
    [5, 3, 9, true, 5],
    [2, 3, 9, true, 3],
    [null, 3, 9, true, 3],
    [5, null, 9, false, null],
    [5, null, 9, true, 5],
    [null, 'all', 9, false, 9],
    [4, 'all', null, false, 4],
    [null, 'all', null, false, null],
  ])('from %p with %p (last %p, advance %p) → %p', (current, requested, last, advance, expected) => {
    expect(nextConsumedIndex(current, requested, last, advance)).toBe(expected);
  });
});

describe('lastIndexOf', () => {
  it.each([
    [{ lastMessageIndex: 4, nextMessageIndex: 9 }, 4],
    [{ lastMessageIndex: null, nextMessageIndex: 3 }, 2],
    [{ lastMessageIndex: null, nextMessageIndex: 0 }, null],
  ])('%p → %p', (channel, expected) => {
    expect(lastIndexOf(channel)).toBe(expected);
  });
});

describe('memberChanges', () => {
  const created = new Date('2024-01-01T00:00:00Z');
  const now = new Date('2024-02-01T00:00:00Z');
  const current: MemberEntity = {
    sid: `MB${'1'.repeat(32)}`,
    accountSid: `AC${'1'.repeat(32)}`,
    serviceSid: `IS${'1'.repeat(32)}`,
    channelSid: `CH${'1'.repeat(32)}`,
    identity: 'ann',
    userSid: `US${'1'.repeat(32)}`,
    roleSid: RL('c'),
    lastConsumedMessageIndex: null,
    lastConsumptionTimestamp: null,
    notificationLevel: 'default',
    attributes: '{}',
    dateCreated: created,
    dateUpdated: created,
  };
  const change = (fields: Record<string, string>) =>
    memberChanges(current, updateMemberParamsSchema.parse({ ServiceSid: current.serviceSid, ChannelSid: current.channelSid, Sid: current.sid, ...fields }), now);

  it.each<[string, Record<string, string>, Partial<MemberEntity>]>([
    ['only the update date', {}, { roleSid: RL('c'), lastConsumedMessageIndex: null, lastConsumptionTimestamp: null, dateUpdated: now }],
    ['a consumption index, read now', { LastConsumedMessageIndex: '3' }, { lastConsumedMessageIndex: 3, lastConsumptionTimestamp: now }],
    ['an index with its timestamp', { LastConsumedMessageIndex: '3', LastConsumptionTimestamp: '2023-01-01T00:00:00Z' }, { lastConsumptionTimestamp: new Date('2023-01-01T00:00:00Z') }],
    ['role and attributes', { RoleSid: RL('a'), Attributes: '{"x":1}' }, { roleSid: RL('a'), attributes: '{"x":1}' }],
    ['backfilled dates', { DateCreated: '2020-01-01T00:00:00Z', DateUpdated: '2020-01-02T00:00:00Z' }, { dateCreated: new Date('2020-01-01T00:00:00Z'), dateUpdated: new Date('2020-01-02T00:00:00Z') }],
  ])('%s', (_, fields, expected) => {
    expect(change(fields)).toMatchObject(expected);
  });
});
