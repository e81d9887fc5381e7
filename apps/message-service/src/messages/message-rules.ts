import {
  ErrorCode,
  Errors,
  MESSAGE_LIMITS,
  type Actor,
  type CreateMessageParams,
  type UpdateMessageParams,
} from '@parley/contracts';
import type { MessageEntity, MessageMedia } from '../database/entities';

/*
 * What a Message is made of, and how CreateMessage / UpdateMessage parameters change it. Pure functions:
 * the repository only stores the result, and the service builds its reply from it (no read after write).
 */

/** A new message before the insert gives it its channel and index. */
export type MessageDraft = Omit<MessageEntity, 'channelSid' | 'toSid' | 'index'>;

export interface DraftInput {
  sid: string;
  accountSid: string;
  actor: Actor;
  params: CreateMessageParams;
  now: Date;
}

/**
 * The row CreateMessage stores. `From` defaults to `system` for REST and is the sender's identity for an SDK user.
 * Backfill parameters (DateCreated, DateUpdated, LastUpdatedBy) are kept as given; a backfilled message whose
 * DateUpdated is later than its DateCreated was edited at its source, so it says so (Twilio's createWithAll example).
 */
export function newMessageDraft({ sid, accountSid, actor, params, now }: DraftInput): MessageDraft {
  assertContent(params.Body, params.MediaSid);
  assertIdentity(params.From, ErrorCode.MessageAuthorTooLong, 'From');
  assertIdentity(params.LastUpdatedBy, ErrorCode.MessageLastUpdatedByTooLong, 'LastUpdatedBy');
  const dateCreated = params.DateCreated ? new Date(params.DateCreated) : now;
  const dateUpdated = params.DateUpdated ? new Date(params.DateUpdated) : dateCreated;
  const media = params.MediaSid ? mediaOf(params.MediaSid) : null;
  return {
    sid,
    accountSid,
    serviceSid: params.ServiceSid,
    author: actor.kind === 'user' ? actor.identity : (params.From ?? 'system'),
    body: params.Body ?? (media ? null : ''),
    attributes: params.Attributes ?? '{}',
    wasEdited: dateUpdated.getTime() > dateCreated.getTime(),
    lastUpdatedBy: params.LastUpdatedBy ?? null,
    type: media ? 'media' : 'text',
    media,
    idempotencyKey: params.IdempotencyKey ?? null,
    dateCreated,
    dateUpdated,
  };
}

/**
 * The row after an UpdateMessage: given fields replaced, the others kept. `was_edited` turns true once the body
 * or the attributes actually change, and stays true. `last_updated_by` names who made the change: the given
 * LastUpdatedBy, else the SDK user, else `system` (a REST update, like REST sends are from `system`).
 */
export function applyMessageUpdate(current: MessageEntity, params: UpdateMessageParams, actor: Actor, now: Date): MessageEntity {
  assertUpdate(params);
  const bodyChanged = params.Body !== undefined && params.Body !== current.body;
  const attributesChanged = params.Attributes !== undefined && params.Attributes !== current.attributes;
  return {
    ...current,
    body: params.Body ?? current.body,
    attributes: params.Attributes ?? current.attributes,
    author: params.From ?? current.author,
    dateCreated: params.DateCreated ? new Date(params.DateCreated) : current.dateCreated,
    dateUpdated: params.DateUpdated ? new Date(params.DateUpdated) : now,
    lastUpdatedBy: params.LastUpdatedBy ?? (actor.kind === 'user' ? actor.identity : 'system'),
    wasEdited: current.wasEdited || bodyChanged || attributesChanged,
  };
}

/** The checks of an update that need no stored row (run before any transaction is opened). */
export function assertUpdate(params: UpdateMessageParams): void {
  assertBodySize(params.Body);
  assertIdentity(params.From, ErrorCode.MessageAuthorTooLong, 'From');
  assertIdentity(params.LastUpdatedBy, ErrorCode.MessageLastUpdatedByTooLong, 'LastUpdatedBy');
}

/** A message carries a body or a media sid (50503); a body is at most 32 KiB of UTF-8 (50504). */
export function assertContent(body: string | undefined, mediaSid: string | undefined): void {
  if (body === undefined && mediaSid === undefined) {
    throw Errors.badRequest(ErrorCode.MessageBodyMissing, 'Message body not provided');
  }
  assertBodySize(body);
}

function assertBodySize(body: string | undefined): void {
  // Every UTF-16 code unit is at most 3 UTF-8 bytes: short bodies need no byte count.
  if (body === undefined || body.length * 3 <= MESSAGE_LIMITS.bodyBytes) return;
  if (Buffer.byteLength(body, 'utf8') > MESSAGE_LIMITS.bodyBytes) {
    throw Errors.badRequest(ErrorCode.MessageBodyTooLong, `Message body parameter is too long: more than ${MESSAGE_LIMITS.bodyBytes} bytes`);
  }
}

function assertIdentity(value: string | undefined, code: ErrorCode, name: string): void {
  if (value !== undefined && value.length > MESSAGE_LIMITS.identityChars) {
    throw Errors.badRequest(code, `${name} parameter is too long: more than ${MESSAGE_LIMITS.identityChars} characters`);
  }
}

/**
 * Parley has no media store yet (Twilio's Media lives in a separate service, MCS): a MediaSid is recorded as
 * given, with the size and type unknown until media upload exists.
 */
function mediaOf(sid: string): MessageMedia {
  return { sid, size: 0, content_type: 'application/octet-stream', filename: null };
}

