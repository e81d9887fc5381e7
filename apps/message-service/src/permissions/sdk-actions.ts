import type { CommandSubject } from '@parley/contracts';
import { isAllowedAny, type Permission } from './permissions';

/*
 * What an SDK user (a `user` actor) may do, pure: each action names the permissions that allow it (any one of
 * them, from the union of the user's service role and, when a member, its channel role: permissions.ts) and how the
 * user must stand to the channel it concerns. REST callers (`system`) are never checked.
 *
 * Channel standing:
 * - `visible`: a public channel is visible to every user of the Service; a private one only to its members, its
 *   invitees and the user who created it (who joins it after creating it). To anyone else a private channel does not
 *   exist (404, exactly as an unknown one).
 * - `member`: visible, and the user is a member (else 403 50400 'User not member of channel').
 * - `none`: the action concerns no channel.
 */

export type ChannelStanding = 'none' | 'visible' | 'member';

export interface SdkActionRule {
  /** Allowed when the user holds any one of these; empty: no permission needed beyond the standing. */
  anyOf: readonly Permission[];
  channel: ChannelStanding;
}

/**
 * The action → permission table (permissions-errors.md, "Suggested action → permission check"). Own/any pairs are
 * two actions: one's own needs the `Own` permission or the `Any` one, someone else's the `Any` one.
 */
export const SDK_ACTIONS = {
  'channel.create': { anyOf: ['createChannel'], channel: 'none' },
  'channel.read': { anyOf: [], channel: 'visible' },
  // Public channels, or private ones the user is invited to or created (those see the channel).
  'channel.join': { anyOf: ['joinChannel'], channel: 'visible' },
  'channel.leave': { anyOf: ['leaveChannel'], channel: 'member' },
  'channel.rename': { anyOf: ['editChannelName'], channel: 'visible' },
  // Attributes and the unique name.
  'channel.editAttributes': { anyOf: ['editChannelAttributes'], channel: 'visible' },
  'channel.destroy': { anyOf: ['destroyChannel'], channel: 'visible' },

  'member.add': { anyOf: ['addMember'], channel: 'visible' },
  'member.invite': { anyOf: ['inviteMember'], channel: 'visible' },
  'member.remove': { anyOf: ['removeMember'], channel: 'visible' },
  // Whoever sees a channel sees its roster: a public channel's members are public, as its members_count is.
  'member.read': { anyOf: [], channel: 'visible' },
  // The user's own consumption horizon.
  'member.consume': { anyOf: [], channel: 'member' },
  'member.editOwnAttributes': { anyOf: ['editOwnMemberAttributes', 'editAnyMemberAttributes'], channel: 'member' },
  'member.editAnyAttributes': { anyOf: ['editAnyMemberAttributes'], channel: 'visible' },
  // The user's own invite.
  'invite.decline': { anyOf: [], channel: 'visible' },

  'message.send': { anyOf: ['sendMessage'], channel: 'member' },
  'message.sendMedia': { anyOf: ['sendMediaMessage'], channel: 'member' },
  // Messages are for members: fetch, REST-style list, SDK pages, reconnect recovery.
  'message.read': { anyOf: [], channel: 'member' },
  'message.editOwnBody': { anyOf: ['editOwnMessage', 'editAnyMessage'], channel: 'visible' },
  'message.editAnyBody': { anyOf: ['editAnyMessage'], channel: 'visible' },
  'message.editOwnAttributes': { anyOf: ['editOwnMessageAttributes', 'editAnyMessageAttributes'], channel: 'visible' },
  'message.editAnyAttributes': { anyOf: ['editAnyMessageAttributes'], channel: 'visible' },
  'message.deleteOwn': { anyOf: ['deleteOwnMessage', 'deleteAnyMessage'], channel: 'visible' },
  'message.deleteAny': { anyOf: ['deleteAnyMessage'], channel: 'visible' },

  'user.read': { anyOf: [], channel: 'none' },
  'user.editOwn': { anyOf: ['editOwnUserInfo', 'editAnyUserInfo'], channel: 'none' },
  'user.editAny': { anyOf: ['editAnyUserInfo'], channel: 'none' },
} as const satisfies Record<string, SdkActionRule>;

export type SdkAction = keyof typeof SDK_ACTIONS;

/**
 * The sends' rules as the write statement checks them itself (messages.repository.ts, SendCheck): a member of the
 * channel holding this one permission. sdk-actions.spec.ts holds it to SDK_ACTIONS.
 */
export const SEND_PERMISSION = { 'message.send': 'sendMessage', 'message.sendMedia': 'sendMediaMessage' } as const satisfies Partial<
  Record<SdkAction, Permission>
>;

/** What the store says about the user and the channel an action concerns. */
export interface AccessFacts {
  /** The permissions of the user's service role (empty without one). */
  servicePermissions: readonly string[];
  /** Null when the action concerns no channel. */
  channel: {
    type: 'public' | 'private';
    /** The permissions of the user's channel role when it is a member, else null. */
    memberPermissions: readonly string[] | null;
    invited: boolean;
    /** The user created the channel (over the SDK: REST's channels are created by `system`). */
    creator: boolean;
  } | null;
}

/** Why an action is refused: 404 (the channel is invisible), 403 50400, 403 50107. */
export type Denial = 'invisible' | 'not-member' | 'not-authorized';

export function isVisible(channel: NonNullable<AccessFacts['channel']>): boolean {
  return channel.type === 'public' || channel.memberPermissions !== null || channel.invited || channel.creator;
}

/** Null when the user may do `action`; else why not, in the order the checks apply. */
export function denial(action: SdkAction, facts: AccessFacts): Denial | null {
  const rule: SdkActionRule = SDK_ACTIONS[action];
  const channel = facts.channel;
  if (rule.channel !== 'none') {
    if (!channel) throw new Error(`${action} concerns a channel`);
    if (!isVisible(channel)) return 'invisible';
    if (rule.channel === 'member' && channel.memberPermissions === null) return 'not-member';
  }
  if (rule.anyOf.length === 0) return null;
  return isAllowedAny(facts.servicePermissions, channel?.memberPermissions ?? null, rule.anyOf) ? null : 'not-authorized';
}

/** One's own or someone else's: the action of the pair that applies. */
export function ownOrAnyAction<O extends SdkAction, A extends SdkAction>(isOwn: boolean, own: O, any: A): O | A {
  return isOwn ? own : any;
}

/** message-service's commands (presence-service has its own, without chat actors). */
export type ChatCommand = Extract<CommandSubject, `chat.v1.cmd.${string}`>;

/**
 * How each chat command treats a `user` actor: the actions it checks (several when its parameters ask for
 * several things, e.g. a rename and new attributes), or who alone may use it. Documentation kept honest by
 * sdk-actions.spec.ts: every command of the contracts must be listed here.
 * - `system`: REST only (account credentials); a user gets 403 50107.
 * - `self`: the user's own identity only (naming anyone else is 403 50107); no role permission.
 * - `open`: no caller envelope (the Access Token or account credentials are the proof).
 */
export const COMMAND_ACCESS: Record<ChatCommand, readonly SdkAction[] | 'system' | 'self' | 'open'> = {
  'chat.v1.cmd.account.authenticate': 'open',
  'chat.v1.cmd.session.open': 'open',
  'chat.v1.cmd.session.channels': 'self',
  'chat.v1.cmd.account.create': 'system',
  'chat.v1.cmd.account.fetch': 'system',
  'chat.v1.cmd.account.update': 'system',
  'chat.v1.cmd.account.list': 'system',
  'chat.v1.cmd.api-key.create': 'system',
  'chat.v1.cmd.api-key.fetch': 'system',
  'chat.v1.cmd.api-key.update': 'system',
  'chat.v1.cmd.api-key.delete': 'system',
  'chat.v1.cmd.api-key.list': 'system',
  // A user reads its own Service (typing timeout, reachability); changes are REST only.
  'chat.v1.cmd.service-configuration.fetch': 'self',
  'chat.v1.cmd.service-configuration.update': 'system',
  'chat.v1.cmd.service.create': 'system',
  'chat.v1.cmd.service.fetch': 'self',
  'chat.v1.cmd.service.update': 'system',
  'chat.v1.cmd.service.delete': 'system',
  'chat.v1.cmd.service.list': 'system',
  'chat.v1.cmd.role.create': 'system',
  'chat.v1.cmd.role.fetch': 'system',
  'chat.v1.cmd.role.update': 'system',
  'chat.v1.cmd.role.delete': 'system',
  'chat.v1.cmd.role.list': 'system',
  'chat.v1.cmd.user.create': 'system',
  'chat.v1.cmd.user.fetch': ['user.read'],
  // FriendlyName / Attributes; a RoleSid from a user is 403 50205.
  'chat.v1.cmd.user.update': ['user.editOwn', 'user.editAny'],
  'chat.v1.cmd.user.delete': 'system',
  'chat.v1.cmd.user.list': 'system',
  'chat.v1.cmd.binding.list': 'system',
  'chat.v1.cmd.binding.fetch': 'system',
  'chat.v1.cmd.binding.delete': 'system',
  'chat.v1.cmd.binding.register': 'self',
  'chat.v1.cmd.binding.unregister': 'self',
  'chat.v1.cmd.user-binding.list': 'system',
  'chat.v1.cmd.user-binding.fetch': 'system',
  'chat.v1.cmd.user-binding.delete': 'system',
  'chat.v1.cmd.credential.create': 'system',
  'chat.v1.cmd.credential.fetch': 'system',
  'chat.v1.cmd.credential.update': 'system',
  'chat.v1.cmd.credential.delete': 'system',
  'chat.v1.cmd.credential.list': 'system',
  // CreatedBy must be the user itself.
  'chat.v1.cmd.channel.create': ['channel.create'],
  'chat.v1.cmd.channel.fetch': ['channel.read'],
  // FriendlyName → rename; Attributes / UniqueName → editAttributes. Backfill fields are REST only.
  'chat.v1.cmd.channel.update': ['channel.rename', 'channel.editAttributes'],
  'chat.v1.cmd.channel.delete': ['channel.destroy'],
  // Public channels only, whatever Type asks for.
  'chat.v1.cmd.channel.list': ['channel.read'],
  'chat.v1.cmd.channel.list-subscribed': 'self',
  'chat.v1.cmd.channel.join': ['channel.join'],
  'chat.v1.cmd.channel.leave': ['channel.leave'],
  // Identity, nothing else (no RoleSid, no backfill).
  'chat.v1.cmd.member.create': ['member.add'],
  'chat.v1.cmd.member.fetch': ['member.read'],
  // Attributes only.
  'chat.v1.cmd.member.update': ['member.editOwnAttributes', 'member.editAnyAttributes'],
  // Oneself → leave; anyone else → remove.
  'chat.v1.cmd.member.delete': ['channel.leave', 'member.remove'],
  'chat.v1.cmd.member.list': ['member.read'],
  'chat.v1.cmd.member.consume': ['member.consume'],
  // Identity, nothing else (no RoleSid).
  'chat.v1.cmd.invite.create': ['member.invite'],
  'chat.v1.cmd.invite.fetch': 'system',
  'chat.v1.cmd.invite.delete': 'system',
  'chat.v1.cmd.invite.list': 'system',
  'chat.v1.cmd.invite.decline': ['invite.decline'],
  'chat.v1.cmd.user-channel.list': 'self',
  'chat.v1.cmd.user-channel.fetch': 'self',
  'chat.v1.cmd.user-channel.update': 'self',
  // The own membership → leave (leaveChannel); the own invite → decline.
  'chat.v1.cmd.user-channel.delete': ['channel.leave', 'invite.decline'],
  'chat.v1.cmd.user-channel.list-for-identity': 'self',
  'chat.v1.cmd.channel-webhook.create': 'system',
  'chat.v1.cmd.channel-webhook.fetch': 'system',
  'chat.v1.cmd.channel-webhook.update': 'system',
  'chat.v1.cmd.channel-webhook.delete': 'system',
  'chat.v1.cmd.channel-webhook.list': 'system',
  // From is the user itself; a MediaSid → sendMedia.
  'chat.v1.cmd.message.create': ['message.send', 'message.sendMedia'],
  'chat.v1.cmd.message.fetch': ['message.read'],
  // Body → edit{Own,Any}Body, Attributes → edit{Own,Any}Attributes; From and backfill fields are REST only.
  'chat.v1.cmd.message.update': ['message.editOwnBody', 'message.editAnyBody', 'message.editOwnAttributes', 'message.editAnyAttributes'],
  'chat.v1.cmd.message.delete': ['message.deleteOwn', 'message.deleteAny'],
  'chat.v1.cmd.message.list': ['message.read'],
  'chat.v1.cmd.message.list-after': ['message.read'],
  'chat.v1.cmd.message.page': ['message.read'],
};

/*
 * Which actions a command's parameters ask for (the services call these with what they read).
 */

/** UpdateChannel: FriendlyName renames; Attributes and UniqueName edit attributes. Nothing given: as attributes. */
export function channelUpdateActions(params: { FriendlyName?: string; UniqueName?: string; Attributes?: string }): SdkAction[] {
  const actions: SdkAction[] = [];
  if (params.FriendlyName !== undefined) actions.push('channel.rename');
  if (params.Attributes !== undefined || params.UniqueName !== undefined || actions.length === 0) actions.push('channel.editAttributes');
  return actions;
}

/** UpdateMessage: the body and the attributes are edited under their own permissions. Nothing given: as a body edit. */
export function messageUpdateActions(isOwn: boolean, params: { Body?: string; Attributes?: string }): SdkAction[] {
  const actions: SdkAction[] = [];
  if (params.Body !== undefined || params.Attributes === undefined) actions.push(isOwn ? 'message.editOwnBody' : 'message.editAnyBody');
  if (params.Attributes !== undefined) actions.push(isOwn ? 'message.editOwnAttributes' : 'message.editAnyAttributes');
  return actions;
}
