import type { UpdateUserParams } from '@parley/contracts';
import type { UserEntity } from '../database/entities';

export interface NewUser {
  sid: string;
  accountSid: string;
  serviceSid: string;
  identity: string;
  /** The role to give, or null for none; CreateUser defaults it to the Service's `default_service_role_sid`. */
  roleSid: string | null;
  friendlyName?: string | null;
  attributes?: string;
  now: Date;
}

/**
 * A new User row as Twilio creates one: attributes `{}` and no friendly name unless given, no channels joined.
 * For every place that creates users (CreateUser, adding a member or an SDK session for an unknown identity).
 */
export function newUserRow(input: NewUser): UserEntity {
  return {
    sid: input.sid,
    accountSid: input.accountSid,
    serviceSid: input.serviceSid,
    identity: input.identity,
    roleSid: input.roleSid,
    friendlyName: input.friendlyName ?? null,
    attributes: input.attributes ?? '{}',
    joinedChannelsCount: 0,
    dateCreated: input.now,
    dateUpdated: input.now,
  };
}

/** The row after an UpdateUser: the given fields applied, the others kept; `date_updated` bumped. */
export function applyUserUpdate(current: UserEntity, params: Pick<UpdateUserParams, 'RoleSid' | 'Attributes' | 'FriendlyName'>, now: Date): UserEntity {
  return {
    ...current,
    ...(params.RoleSid !== undefined && { roleSid: params.RoleSid }),
    ...(params.Attributes !== undefined && { attributes: params.Attributes }),
    ...(params.FriendlyName !== undefined && { friendlyName: params.FriendlyName }),
    dateUpdated: now,
  };
}
