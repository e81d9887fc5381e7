import type { ChannelType, CreateChannelParams, UpdateChannelParams } from '@parley/contracts';
import type { ChannelEntity } from '../database/entities';

/*
 * A Channel's fields on create and update, pure. Backfill parameters (`DateCreated`, `DateUpdated`,
 * `CreatedBy`) are Twilio's for "recreating from a backup"; they are stored as given.
 */

export interface NewChannel {
  sid: string;
  accountSid: string;
  params: CreateChannelParams;
  now: Date;
}

/** An empty unique name is no unique name (on update it removes the current one). */
function uniqueNameOf(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value === '' ? null : value;
}

export function newChannelRow({ sid, accountSid, params, now }: NewChannel): ChannelEntity {
  const dateCreated = params.DateCreated ? new Date(params.DateCreated) : now;
  return {
    sid,
    accountSid,
    serviceSid: params.ServiceSid,
    friendlyName: params.FriendlyName ?? null,
    uniqueName: uniqueNameOf(params.UniqueName) ?? null,
    attributes: params.Attributes ?? '{}',
    type: params.Type ?? 'public',
    createdBy: params.CreatedBy ?? 'system',
    membersCount: 0,
    messagesCount: 0,
    nextMessageIndex: 0,
    lastMessageSid: null,
    lastMessageIndex: null,
    lastMessageDate: null,
    dateCreated,
    dateUpdated: params.DateUpdated ? new Date(params.DateUpdated) : dateCreated,
  };
}

/** The fields an UpdateChannel may change (counters and the message index belong to other writers). */
export type ChannelChanges = Pick<ChannelEntity, 'friendlyName' | 'uniqueName' | 'attributes' | 'createdBy' | 'dateCreated' | 'dateUpdated'>;

/** Every given parameter applied, the others kept; `date_updated` is now unless backfilled. */
export function channelChanges(current: ChannelEntity, params: UpdateChannelParams, now: Date): ChannelChanges {
  const uniqueName = uniqueNameOf(params.UniqueName);
  return {
    friendlyName: params.FriendlyName ?? current.friendlyName,
    uniqueName: uniqueName === undefined ? current.uniqueName : uniqueName,
    attributes: params.Attributes ?? current.attributes,
    createdBy: params.CreatedBy ?? current.createdBy,
    dateCreated: params.DateCreated ? new Date(params.DateCreated) : current.dateCreated,
    dateUpdated: params.DateUpdated ? new Date(params.DateUpdated) : now,
  };
}

/**
 * The channel types a ListChannel reads. Twilio's spec: "Can be: `public` or `private` and defaults to
 * `public`", so private channels are listed only when asked for.
 */
export function listedTypes(requested: readonly ChannelType[] | undefined): ChannelType[] {
  if (!requested || requested.length === 0) return ['public'];
  return [...new Set(requested)].sort();
}
