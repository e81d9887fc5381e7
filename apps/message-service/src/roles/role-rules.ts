import { ErrorCode, ParleyError } from '@parley/contracts';
import type { RoleUsage } from './roles.repository';

/**
 * Why a role cannot be deleted, or null when nothing references it. Twilio documents no code for this case:
 * 20001 is its generic code for a request it cannot carry out as given (here: the role named by `Sid`), and the
 * 409 status says the conflict is with the current state — reassign the users/members/invites or change the
 * Service's defaults, then retry. No role-specific code fits (50100 would claim the role does not exist).
 */
export function roleInUseProblem(roleSid: string, usage: RoleUsage): ParleyError | null {
  const uses = [
    usage.serviceDefault ? "the Service's default roles" : null,
    usage.users > 0 ? `${usage.users} user(s)` : null,
    usage.members > 0 ? `${usage.members} member(s)` : null,
    usage.invites > 0 ? `${usage.invites} invite(s)` : null,
  ].filter((use): use is string => use !== null);
  if (uses.length === 0) return null;
  return new ParleyError(
    ErrorCode.InvalidParameter,
    `Role ${roleSid} is in use by ${uses.join(', ')} and cannot be deleted; assign another role first`,
    409,
  );
}

/** Role names are unique per Service (uq_roles_service_friendly_name); same 20001-with-409 reasoning as above. */
export function roleNameTaken(friendlyName: string): ParleyError {
  return new ParleyError(ErrorCode.InvalidParameter, `Role with friendly name '${friendlyName}' already exists`, 409);
}
