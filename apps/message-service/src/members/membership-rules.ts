import { ErrorCode, Errors, isSid, ParleyError, type UpdateMemberParams } from '@parley/contracts';
import type { MemberEntity, RoleEntity } from '../database/entities';

/*
 * Who may become a member and what a member row becomes, pure: the services run these inside the transaction
 * that holds the channel and user row locks, so their answers stay true until the commit.
 */

/** An identity that looks like a User sid could never be addressed by identity (`/Users/US…` is read as a sid). */
export function identityProblem(identity: string): ParleyError | null {
  return isSid(identity, 'US')
    ? Errors.badRequest(ErrorCode.IdentityMatchesUserSid, 'Identity should not match user SID pattern')
    : null;
}

export function channelRoleNotFound(sid: string): ParleyError {
  return Errors.badRequest(ErrorCode.ChannelRoleNotFound, `Channel role not found: ${sid}`);
}

/** A member's or invite's role must be a `channel` role of the Service (as for the Service's channel defaults). */
export function channelRoleProblem(roleSid: string, role: Pick<RoleEntity, 'sid' | 'type'> | null): ParleyError | null {
  return role && role.sid === roleSid && role.type === 'channel' ? null : channelRoleNotFound(roleSid);
}

export interface LimitState {
  /** channels.members_count of the locked channel row. */
  channelMembers: number;
  /** Service `limits.channel_members`. */
  channelMembersLimit: number;
  /** users.joined_channels_count of the locked user row (its memberships). */
  userChannels: number;
  /** Service `limits.user_channels`. */
  userChannelsLimit: number;
}

/** Twilio's limits on adding one more member: the channel's size (50403), then the user's channels (50208). */
export function limitProblem(state: LimitState): ParleyError | null {
  if (state.channelMembers >= state.channelMembersLimit) {
    return Errors.forbidden(ErrorCode.ChannelMemberLimitExceeded, 'Channel member limit exceeded');
  }
  if (state.userChannels >= state.userChannelsLimit) {
    return Errors.forbidden(ErrorCode.UserChannelLimitExceeded, 'User channel limit exceeded');
  }
  return null;
}

export function memberExists(): ParleyError {
  return Errors.conflict(ErrorCode.MemberAlreadyExists, 'Member already exists');
}

export function notMember(): ParleyError {
  return Errors.forbidden(ErrorCode.UserNotMember, 'User not member of channel');
}

export interface RoleChoice {
  requested?: string;
  invited?: string | null;
  isCreator: boolean;
  defaults: { channel: string | null; channelCreator: string | null };
}

/**
 * The role of a new member: the one asked for, else the one its invite carried, else the Service's default
 * channel role; the channel's creator joining gets `default_channel_creator_role_sid`.
 */
export function memberRole(choice: RoleChoice): string | null {
  if (choice.requested !== undefined) return choice.requested;
  if (choice.invited) return choice.invited;
  if (choice.isCreator && choice.defaults.channelCreator) return choice.defaults.channelCreator;
  return choice.defaults.channel;
}

export type MemberChanges = Pick<
  MemberEntity,
  'roleSid' | 'lastConsumedMessageIndex' | 'lastConsumptionTimestamp' | 'attributes' | 'dateCreated' | 'dateUpdated'
>;

/**
 * An UpdateMember: the given fields applied, the others kept. A new consumption index without a timestamp is a
 * read event now.
 */
export function memberChanges(current: MemberEntity, params: Omit<UpdateMemberParams, 'ServiceSid' | 'ChannelSid' | 'Sid'>, now: Date): MemberChanges {
  const timestamp = params.LastConsumptionTimestamp
    ? new Date(params.LastConsumptionTimestamp)
    : params.LastConsumedMessageIndex !== undefined
      ? now
      : current.lastConsumptionTimestamp;
  return {
    roleSid: params.RoleSid ?? current.roleSid,
    lastConsumedMessageIndex: params.LastConsumedMessageIndex ?? current.lastConsumedMessageIndex,
    lastConsumptionTimestamp: timestamp,
    attributes: params.Attributes ?? current.attributes,
    dateCreated: params.DateCreated ? new Date(params.DateCreated) : current.dateCreated,
    dateUpdated: params.DateUpdated ? new Date(params.DateUpdated) : now,
  };
}

/** The channel's newest message index, or null while it has none. */
export function lastIndexOf(channel: { lastMessageIndex: number | null; nextMessageIndex: number }): number | null {
  if (channel.lastMessageIndex !== null) return channel.lastMessageIndex;
  return channel.nextMessageIndex > 0 ? channel.nextMessageIndex - 1 : null;
}

/**
 * The consumption horizon after an SDK consumption report: `index` sets it, `null` clears it, `'all'` moves it
 * to the last message (kept as is while there is none). With `advance` it never moves back (nor is cleared).
 */
export function nextConsumedIndex(current: number | null, requested: number | null | 'all', lastIndex: number | null, advance: boolean): number | null {
  const target = requested === 'all' ? (lastIndex ?? current) : requested;
  if (!advance) return target;
  if (target === null) return current;
  return current === null ? target : Math.max(current, target);
}
