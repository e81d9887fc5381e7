import { DEFAULT_ROLES } from './default-roles';

/** Permissions valid per scope (permissions-errors.md §2); a role with another one would be rejected with 50104. */
const VALID = {
  deployment: [
    'createChannel', 'joinChannel', 'destroyChannel', 'editChannelName', 'editChannelAttributes', 'addMember', 'inviteMember',
    'removeMember', 'editOwnMessage', 'editAnyMessage', 'editOwnMessageAttributes', 'editAnyMessageAttributes',
    'deleteAnyMessage', 'editOwnUserInfo', 'editAnyUserInfo',
  ],
  channel: [
    'destroyChannel', 'editChannelName', 'editChannelAttributes', 'addMember', 'inviteMember', 'removeMember', 'leaveChannel',
    'sendMessage', 'sendMediaMessage', 'editOwnMessage', 'editAnyMessage', 'editOwnMessageAttributes',
    'editAnyMessageAttributes', 'deleteOwnMessage', 'deleteAnyMessage',
  ],
};

describe('default roles', () => {
  it.each(Object.entries(DEFAULT_ROLES))('%s uses only permissions of its scope, once each', (_, role) => {
    expect(role.permissions.filter((p) => !VALID[role.type].includes(p))).toEqual([]);
    expect(new Set(role.permissions).size).toBe(role.permissions.length);
  });

  it("has Twilio's lowercase names and scopes", () => {
    expect(Object.values(DEFAULT_ROLES).map((r) => [r.friendlyName, r.type])).toEqual([
      ['service admin', 'deployment'],
      ['service user', 'deployment'],
      ['channel admin', 'channel'],
      ['channel user', 'channel'],
    ]);
  });
});
