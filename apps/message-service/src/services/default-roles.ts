import type { RoleType } from '../database/entities';

export interface RoleTemplate {
  friendlyName: string;
  type: RoleType;
  permissions: string[];
}

/**
 * The four roles Twilio creates with every Service (permissions-errors.md §3: the doc, 2015 and spec marks,
 * and the later media/attribute permissions marked "very likely"). Names are lowercase, as Twilio returns them.
 */
export const DEFAULT_ROLES = {
  serviceAdmin: {
    friendlyName: 'service admin',
    type: 'deployment',
    permissions: [
      'addMember',
      'createChannel',
      'deleteAnyMessage',
      'destroyChannel',
      'editAnyMessage',
      'editAnyMessageAttributes',
      'editAnyUserInfo',
      'editChannelAttributes',
      'editChannelName',
      'inviteMember',
      'joinChannel',
      'removeMember',
    ],
  },
  serviceUser: {
    friendlyName: 'service user',
    type: 'deployment',
    permissions: ['createChannel', 'editOwnUserInfo', 'joinChannel'],
  },
  channelAdmin: {
    friendlyName: 'channel admin',
    type: 'channel',
    permissions: [
      'addMember',
      'deleteAnyMessage',
      'destroyChannel',
      'editAnyMessage',
      'editAnyMessageAttributes',
      'editChannelAttributes',
      'editChannelName',
      'inviteMember',
      'removeMember',
      'leaveChannel',
      'sendMessage',
      'sendMediaMessage',
    ],
  },
  channelUser: {
    friendlyName: 'channel user',
    type: 'channel',
    permissions: ['leaveChannel', 'sendMessage', 'sendMediaMessage', 'editOwnMessage', 'editOwnMessageAttributes', 'deleteOwnMessage'],
  },
} as const satisfies Record<string, RoleTemplate>;
