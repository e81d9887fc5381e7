import { ParleyError } from '@parley/contracts';
import { DEFAULT_ROLES } from '../services/default-roles';
import {
  isAllowed,
  isAllowedAny,
  isPermissionOf,
  ownOrAny,
  PERMISSIONS,
  validateRole,
  type Permission,
  type RoleScope,
} from './permissions';

function failure(run: () => unknown): { code: number; status: number; message: string } | null {
  try {
    run();
    return null;
  } catch (err) {
    if (err instanceof ParleyError) return { code: err.code, status: err.status, message: err.message };
    throw err;
  }
}

describe('permission vocabulary', () => {
  it.each<[string, RoleScope, boolean]>([
    ['createChannel', 'deployment', true],
    ['createChannel', 'channel', false],
    ['joinChannel', 'deployment', true],
    ['joinChannel', 'channel', false],
    ['sendMessage', 'channel', true],
    ['sendMessage', 'deployment', false],
    ['sendMediaMessage', 'channel', true],
    ['leaveChannel', 'channel', true],
    ['leaveChannel', 'deployment', false],
    ['deleteOwnMessage', 'channel', true],
    ['deleteOwnMessage', 'deployment', false],
    ['deleteAnyMessage', 'deployment', true],
    ['deleteAnyMessage', 'channel', true],
    ['editOwnUserInfo', 'deployment', true],
    ['editOwnUserInfo', 'channel', false],
    ['editAnyUserInfo', 'deployment', true],
    ['editAnyUserInfo', 'channel', false],
    ['destroyChannel', 'channel', true],
    ['destroyChannel', 'deployment', true],
    ['editNotificationLevel', 'channel', true],
    ['editNotificationLevel', 'deployment', false],
    ['editOwnMemberAttributes', 'channel', true],
    ['editAnyMemberAttributes', 'deployment', true],
    ['sendmessage', 'channel', false],
    ['', 'channel', false],
  ])('%s in a %s role: %s', (permission, scope, valid) => {
    expect(isPermissionOf(scope, permission)).toBe(valid);
  });

  it('lists each permission once per scope', () => {
    for (const list of Object.values(PERMISSIONS)) expect(new Set(list).size).toBe(list.length);
  });

  it("accepts Twilio's four default roles", () => {
    for (const role of Object.values(DEFAULT_ROLES)) {
      expect(validateRole(role.type, role.permissions).permissions).toEqual(role.permissions);
    }
  });
});

describe('validateRole', () => {
  it.each<[string, string, string[], { code: number; status: number } | null]>([
    ['a channel role', 'channel', ['sendMessage', 'leaveChannel'], null],
    ['a service role', 'deployment', ['createChannel', 'editOwnUserInfo'], null],
    ['an unknown type', 'service', ['createChannel'], { code: 50105, status: 400 }],
    ['a type in the wrong case', 'Channel', ['sendMessage'], { code: 50105, status: 400 }],
    ['editOwnUserInfo on a channel role (twilio-node#581)', 'channel', ['sendMessage', 'editOwnUserInfo'], { code: 50104, status: 400 }],
    ['editAnyUserInfo on a channel role', 'channel', ['editAnyUserInfo'], { code: 50104, status: 400 }],
    ['a channel permission on a service role', 'deployment', ['createChannel', 'sendMessage'], { code: 50104, status: 400 }],
    ['an unknown permission', 'deployment', ['fly'], { code: 50104, status: 400 }],
  ])('%s', (_, type, permissions, expected) => {
    const problem = failure(() => validateRole(type, permissions));
    expect(problem ? { code: problem.code, status: problem.status } : null).toEqual(expected);
  });

  it('names the first offending permission', () => {
    expect(failure(() => validateRole('channel', ['sendMessage', 'createChannel', 'joinChannel']))?.message).toBe(
      'Permission not found: createChannel',
    );
  });

  it('checks the type before the permissions', () => {
    expect(failure(() => validateRole('nope', ['nope']))?.code).toBe(50105);
  });

  it('drops repeated permissions and keeps the order', () => {
    expect(validateRole('channel', ['sendMessage', 'leaveChannel', 'sendMessage'])).toEqual({
      type: 'channel',
      permissions: ['sendMessage', 'leaveChannel'],
    });
  });
});

describe('isAllowed', () => {
  const serviceUser = DEFAULT_ROLES.serviceUser.permissions;
  const serviceAdmin = DEFAULT_ROLES.serviceAdmin.permissions;
  const channelUser = DEFAULT_ROLES.channelUser.permissions;
  const channelAdmin = DEFAULT_ROLES.channelAdmin.permissions;

  it.each<[string, readonly string[], readonly string[] | null, Permission, boolean]>([
    ['a service user creates a channel', serviceUser, null, 'createChannel', true],
    ['a service user joins a channel', serviceUser, null, 'joinChannel', true],
    ['a non-member sends a message', serviceUser, null, 'sendMessage', false],
    ['a member sends a message', serviceUser, channelUser, 'sendMessage', true],
    ['a member deletes their own message', serviceUser, channelUser, 'deleteOwnMessage', true],
    ['a member deletes any message', serviceUser, channelUser, 'deleteAnyMessage', false],
    ['a channel admin deletes any message', serviceUser, channelAdmin, 'deleteAnyMessage', true],
    ['a service admin deletes any message without being a member', serviceAdmin, null, 'deleteAnyMessage', true],
    ['a service admin destroys a channel', serviceAdmin, channelUser, 'destroyChannel', true],
    ['a member removes someone', serviceUser, channelUser, 'removeMember', false],
    ['a channel admin removes someone', serviceUser, channelAdmin, 'removeMember', true],
    ['a service user edits their own info', serviceUser, null, 'editOwnUserInfo', true],
    ['a service user edits any user info', serviceUser, null, 'editAnyUserInfo', false],
    ['a user without any role', [], null, 'createChannel', false],
    ['a member with an empty channel role', [], [], 'sendMessage', false],
  ])('%s: %s', (_, service, channel, permission, allowed) => {
    expect(isAllowed(service, channel, permission)).toBe(allowed);
  });

  it.each<[string, boolean, readonly string[], boolean]>([
    ['own message with editOwnMessage', true, ['editOwnMessage'], true],
    ['own message with editAnyMessage', true, ['editAnyMessage'], true],
    ["someone else's message with editOwnMessage", false, ['editOwnMessage'], false],
    ["someone else's message with editAnyMessage", false, ['editAnyMessage'], true],
  ])('own/any: %s', (_, isOwn, channel, allowed) => {
    expect(isAllowedAny([], channel, ownOrAny(isOwn, 'editOwnMessage', 'editAnyMessage'))).toBe(allowed);
  });
});
