import { ErrorCode, ParleyError } from '@parley/contracts';

/*
 * The Chat role model (permissions-errors.md §1–2), pure: which permissions exist in which scope, how a role's
 * permission set is validated, and whether a user may do something. Roles of scope `deployment` are given to
 * Users (what they may do in the Service), roles of scope `channel` to Members (what they may do in that Channel).
 */

export const ROLE_TYPES = ['channel', 'deployment'] as const;
export type RoleScope = (typeof ROLE_TYPES)[number];

/** Permissions of Twilio's Role resource table that are valid in both scopes. */
const SHARED = [
  'destroyChannel',
  'editChannelName',
  'editChannelAttributes',
  'addMember',
  'inviteMember',
  'removeMember',
  'editOwnMessage',
  'editAnyMessage',
  'editOwnMessageAttributes',
  'editAnyMessageAttributes',
  'deleteAnyMessage',
  // Accepted by the live API though missing from the doc table (permissions-errors.md §2).
  'editAnyMemberAttributes',
] as const;

/**
 * The vocabulary per scope. `editOwnUserInfo` / `editAnyUserInfo` are listed on Twilio's page for channel roles
 * too, but the API rejects them there with 50104 (twilio-node#581), so they are service-scope only.
 */
export const PERMISSIONS = {
  deployment: [...SHARED, 'createChannel', 'joinChannel', 'editOwnUserInfo', 'editAnyUserInfo'],
  channel: [
    ...SHARED,
    'leaveChannel',
    'sendMessage',
    'sendMediaMessage',
    'deleteOwnMessage',
    'editNotificationLevel',
    'editOwnMemberAttributes',
  ],
} as const satisfies Record<RoleScope, readonly string[]>;

export type DeploymentPermission = (typeof PERMISSIONS.deployment)[number];
export type ChannelPermission = (typeof PERMISSIONS.channel)[number];
export type Permission = DeploymentPermission | ChannelPermission;

const VALID: Record<RoleScope, ReadonlySet<string>> = {
  deployment: new Set(PERMISSIONS.deployment),
  channel: new Set(PERMISSIONS.channel),
};

export function isRoleScope(value: string): value is RoleScope {
  return (ROLE_TYPES as readonly string[]).includes(value);
}

export function isPermissionOf(scope: RoleScope, permission: string): boolean {
  return VALID[scope].has(permission);
}

/**
 * Checks a role's type and permission set as CreateRole/UpdateRole receive them: a type other than `channel` or
 * `deployment` is 400 50105; any permission that does not exist in that scope is 400 50104. Answers the set with
 * duplicates removed (first occurrence wins, order kept), as it is stored.
 */
export function validateRole(type: string, permissions: readonly string[]): { type: RoleScope; permissions: string[] } {
  if (!isRoleScope(type)) {
    throw new ParleyError(ErrorCode.InvalidRoleType, `Invalid role type: ${type}`, 400);
  }
  const unknown = permissions.find((p) => !isPermissionOf(type, p));
  if (unknown !== undefined) {
    throw new ParleyError(ErrorCode.PermissionNotFound, `Permission not found: ${unknown}`, 400);
  }
  return { type, permissions: [...new Set(permissions)] };
}

/**
 * Whether a user may do `permission`: the union of the permissions of their service role and, when they are a
 * member of the channel the action concerns, of their channel role (`null` when they are not a member or the action
 * concerns no channel). A user without a role (null role sid) passes an empty list.
 */
export function isAllowed(
  servicePermissions: readonly string[],
  channelPermissions: readonly string[] | null,
  permission: Permission,
): boolean {
  return servicePermissions.includes(permission) || (channelPermissions?.includes(permission) ?? false);
}

/**
 * The own/any pair of an action on something that belongs to someone (a message, user info, member attributes):
 * one's own needs the `Own` permission or the `Any` one; someone else's needs the `Any` one.
 */
export function ownOrAny<O extends Permission, A extends Permission>(isOwn: boolean, own: O, any: A): (O | A)[] {
  return isOwn ? [own, any] : [any];
}

/** `isAllowed` for several acceptable permissions: allowed when any one of them is. */
export function isAllowedAny(
  servicePermissions: readonly string[],
  channelPermissions: readonly string[] | null,
  permissions: readonly Permission[],
): boolean {
  return permissions.some((p) => isAllowed(servicePermissions, channelPermissions, p));
}
