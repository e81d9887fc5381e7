import { commands } from '@parley/contracts';
import { DEFAULT_ROLES } from '../services/default-roles';
import { isPermissionOf } from './permissions';
import {
  channelUpdateActions,
  COMMAND_ACCESS,
  denial,
  messageUpdateActions,
  SDK_ACTIONS,
  SEND_PERMISSION,
  type AccessFacts,
  type Denial,
  type SdkAction,
} from './sdk-actions';

const { serviceAdmin, serviceUser, channelAdmin, channelUser } = DEFAULT_ROLES;

/** Who asks, with Twilio's default roles: service role, and channel role when a member. */
const PERSONAS = {
  // A service user who is not a member.
  outsider: { service: serviceUser.permissions, member: null },
  // A service user who joined (the Service's default channel role).
  member: { service: serviceUser.permissions, member: channelUser.permissions },
  // A service user who created the channel and joined it (default_channel_creator_role_sid).
  creator: { service: serviceUser.permissions, member: channelAdmin.permissions },
  // A service admin who is not a member.
  admin: { service: serviceAdmin.permissions, member: null },
} as const;
type Persona = keyof typeof PERSONAS;

const ok = null;
const NA: Denial = 'not-authorized';
const NM: Denial = 'not-member';

function facts(persona: Persona, type: 'public' | 'private', relation: { invited?: boolean; creator?: boolean } = {}): AccessFacts {
  const { service, member } = PERSONAS[persona];
  return { servicePermissions: service, channel: { type, memberPermissions: member, invited: relation.invited ?? false, creator: relation.creator ?? false } };
}

/** Twilio's four default roles × every action, in a public channel: [outsider, member, creator, admin]. */
const PUBLIC_MATRIX: Record<SdkAction, [Denial | null, Denial | null, Denial | null, Denial | null]> = {
  'channel.create': [ok, ok, ok, ok],
  'channel.read': [ok, ok, ok, ok],
  'channel.join': [ok, ok, ok, ok],
  'channel.leave': [NM, ok, ok, NM],
  'channel.rename': [NA, NA, ok, ok],
  'channel.editAttributes': [NA, NA, ok, ok],
  'channel.destroy': [NA, NA, ok, ok],
  'member.add': [NA, NA, ok, ok],
  'member.invite': [NA, NA, ok, ok],
  'member.remove': [NA, NA, ok, ok],
  'member.read': [ok, ok, ok, ok],
  'member.consume': [NM, ok, ok, NM],
  // Neither default channel role has the member-attribute permissions.
  'member.editOwnAttributes': [NM, NA, NA, NM],
  'member.editAnyAttributes': [NA, NA, NA, NA],
  'invite.decline': [ok, ok, ok, ok],
  'message.send': [NM, ok, ok, NM],
  'message.sendMedia': [NM, ok, ok, NM],
  'message.read': [NM, ok, ok, NM],
  // editAnyMessage also covers one's own.
  'message.editOwnBody': [NA, ok, ok, ok],
  'message.editAnyBody': [NA, NA, ok, ok],
  'message.editOwnAttributes': [NA, ok, ok, ok],
  'message.editAnyAttributes': [NA, NA, ok, ok],
  'message.deleteOwn': [NA, ok, ok, ok],
  'message.deleteAny': [NA, NA, ok, ok],
  'user.read': [ok, ok, ok, ok],
  // The service admin role has editAnyUserInfo, which covers its own.
  'user.editOwn': [ok, ok, ok, ok],
  'user.editAny': [NA, NA, NA, ok],
};

const personas = Object.keys(PERSONAS) as Persona[];
const actions = Object.keys(SDK_ACTIONS) as SdkAction[];

describe('SDK actions with the default roles', () => {
  it('lists every action once in the matrix', () => {
    expect(Object.keys(PUBLIC_MATRIX).sort()).toEqual([...actions].sort());
  });

  it.each(actions.flatMap((action) => personas.map((persona, i) => [action, persona, PUBLIC_MATRIX[action][i]] as const)))(
    'public channel: %s by the %s → %s',
    (action, persona, expected) => {
      expect(denial(action, facts(persona, 'public'))).toBe(expected);
    },
  );

  it.each(actions.filter((a) => SDK_ACTIONS[a].channel !== 'none'))('private channel: %s is invisible to non-members, whatever their role', (action) => {
    expect(denial(action, facts('outsider', 'private'))).toBe('invisible');
    expect(denial(action, facts('admin', 'private'))).toBe('invisible');
  });

  it.each(actions)('private channel: %s by its members as in a public one', (action) => {
    for (const persona of ['member', 'creator'] as const) {
      expect(denial(action, facts(persona, 'private'))).toBe(PUBLIC_MATRIX[action][personas.indexOf(persona)]);
    }
  });

  it.each<[SdkAction, Denial | null]>([
    ['channel.read', ok],
    ['channel.join', ok],
    ['invite.decline', ok],
    ['member.read', ok],
    ['message.read', NM],
    ['message.send', NM],
    ['channel.leave', NM],
    ['channel.rename', NA],
  ])('private channel: an invitee (service user) %s → %s', (action, expected) => {
    expect(denial(action, facts('outsider', 'private', { invited: true }))).toBe(expected);
  });

  it.each<[SdkAction, Denial | null]>([
    ['channel.read', ok],
    ['channel.join', ok],
    ['message.read', NM],
    ['channel.rename', NA],
  ])('private channel: its creator before joining (service user) %s → %s', (action, expected) => {
    expect(denial(action, facts('outsider', 'private', { creator: true }))).toBe(expected);
  });

  it('a channel action without a channel is a programming error', () => {
    expect(() => denial('message.send', { servicePermissions: [], channel: null })).toThrow();
  });
});

describe('role edits change the answers', () => {
  it.each<[string, string[], SdkAction, Denial | null]>([
    ["'channel user' without sendMessage", channelUser.permissions.filter((p) => p !== 'sendMessage'), 'message.send', NA],
    ["'channel user' without sendMessage keeps media", channelUser.permissions.filter((p) => p !== 'sendMessage'), 'message.sendMedia', ok],
    ["'channel user' with addMember", [...channelUser.permissions, 'addMember'], 'member.add', ok],
    ['an empty channel role', [], 'channel.leave', NA],
    ['an empty channel role still reads', [], 'message.read', ok],
  ])('%s', (_, memberPermissions, action, expected) => {
    expect(denial(action, { servicePermissions: serviceUser.permissions, channel: { type: 'public', memberPermissions, invited: false, creator: false } })).toBe(expected);
  });

  it('a user without a service role may still do what its channel role allows', () => {
    expect(denial('channel.create', { servicePermissions: [], channel: null })).toBe(NA);
    expect(denial('message.send', { servicePermissions: [], channel: { type: 'public', memberPermissions: channelUser.permissions, invited: false, creator: false } })).toBe(ok);
  });
});

describe('the table itself', () => {
  it.each(actions)('%s names only permissions that exist', (action) => {
    for (const permission of SDK_ACTIONS[action].anyOf) {
      expect(isPermissionOf('deployment', permission) || isPermissionOf('channel', permission)).toBe(true);
    }
  });

  it('classifies every chat command of the contracts for user actors', () => {
    const chatCommands = Object.keys(commands).filter((s) => s.startsWith('chat.v1.cmd.'));
    expect(Object.keys(COMMAND_ACCESS).sort()).toEqual(chatCommands.sort());
  });
});

describe('actions asked for by parameters', () => {
  it.each<[Record<string, string>, SdkAction[]]>([
    [{ FriendlyName: 'n' }, ['channel.rename']],
    [{ Attributes: '{}' }, ['channel.editAttributes']],
    [{ UniqueName: 'u' }, ['channel.editAttributes']],
    [{ FriendlyName: 'n', UniqueName: '' }, ['channel.rename', 'channel.editAttributes']],
    [{}, ['channel.editAttributes']],
  ])('UpdateChannel %p → %p', (params, expected) => {
    expect(channelUpdateActions(params)).toEqual(expected);
  });

  it.each<[boolean, Record<string, string>, SdkAction[]]>([
    [true, { Body: 'b' }, ['message.editOwnBody']],
    [false, { Body: 'b' }, ['message.editAnyBody']],
    [true, { Attributes: '{}' }, ['message.editOwnAttributes']],
    [false, { Body: 'b', Attributes: '{}' }, ['message.editAnyBody', 'message.editAnyAttributes']],
    [true, {}, ['message.editOwnBody']],
  ])('UpdateMessage (own: %p) %p → %p', (isOwn, params, expected) => {
    expect(messageUpdateActions(isOwn, params)).toEqual(expected);
  });
});

describe('SEND_PERMISSION (the check the send statement makes itself)', () => {
  it.each(Object.entries(SEND_PERMISSION))('%s is a member holding %s, exactly as SDK_ACTIONS says', (action, permission) => {
    expect(SDK_ACTIONS[action as SdkAction]).toEqual({ anyOf: [permission], channel: 'member' });
  });

  it('agrees with denial() for every persona and channel type', () => {
    for (const [action, permission] of Object.entries(SEND_PERMISSION)) {
      for (const persona of Object.keys(PERSONAS) as Persona[]) {
        for (const type of ['public', 'private'] as const) {
          const f = facts(persona, type, { invited: true, creator: true });
          const memberPermissions = f.channel?.memberPermissions ?? null;
          const statementSays = memberPermissions !== null && [...memberPermissions, ...f.servicePermissions].includes(permission);
          expect([action, persona, type, statementSays]).toEqual([action, persona, type, denial(action as SdkAction, f) === null]);
        }
      }
    }
  });
});
