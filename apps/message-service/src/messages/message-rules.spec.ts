import { createMessageParamsSchema, updateMessageParamsSchema, type Actor } from '@parley/contracts';
import type { MessageEntity } from '../database/entities';
import { applyMessageUpdate, newMessageDraft } from './message-rules';

const IS = `IS${'b'.repeat(32)}`;
const AC = `AC${'a'.repeat(32)}`;
const CH = `CH${'c'.repeat(32)}`;
const IM = `IM${'d'.repeat(32)}`;
const ME = `ME${'e'.repeat(32)}`;
const now = new Date('2024-05-01T10:00:00.000Z');
const system: Actor = { kind: 'system' };
const alice: Actor = { kind: 'user', identity: 'alice' };

/** Parameters as a form-encoded REST request sends them, through the contract. */
const create = (fields: Record<string, string>) => createMessageParamsSchema.parse({ ServiceSid: IS, ChannelSid: CH, ...fields });
const update = (fields: Record<string, string>) => updateMessageParamsSchema.parse({ ServiceSid: IS, ChannelSid: CH, Sid: IM, ...fields });
const draft = (fields: Record<string, string>, actor: Actor = system) =>
  newMessageDraft({ sid: IM, accountSid: AC, actor, params: create(fields), now });

function failure(fn: () => unknown): { code: number; status: number } | null {
  try {
    fn();
    return null;
  } catch (err) {
    const { code, status } = err as { code: number; status: number };
    return { code, status };
  }
}

describe('newMessageDraft', () => {
  it("has Twilio's defaults for a plain REST send", () => {
    expect(draft({ Body: 'hello' })).toEqual({
      sid: IM,
      accountSid: AC,
      serviceSid: IS,
      author: 'system',
      body: 'hello',
      attributes: '{}',
      wasEdited: false,
      lastUpdatedBy: null,
      type: 'text',
      media: null,
      idempotencyKey: null,
      dateCreated: now,
      dateUpdated: now,
    });
  });

  it.each<[string, Record<string, string>, Actor, Partial<ReturnType<typeof draft>>]>([
    ['From', { Body: 'x', From: 'bob' }, system, { author: 'bob' }],
    ['the SDK sender as author, whatever From says', { Body: 'x', From: 'bob' }, alice, { author: 'alice' }],
    ['attributes verbatim', { Body: 'x', Attributes: '{ "a": 1 }' }, system, { attributes: '{ "a": 1 }' }],
    ['an empty body', { Body: '' }, system, { body: '' }],
    ['a media message without body', { MediaSid: ME }, system, { type: 'media', body: null, media: { sid: ME, size: 0, content_type: 'application/octet-stream', filename: null } }],
    ['a media message with a caption', { MediaSid: ME, Body: 'look' }, system, { type: 'media', body: 'look' }],
    ['a backfilled creation date, updated at the same time', { Body: 'x', DateCreated: '2015-12-16T22:18:37Z' }, system, { dateCreated: new Date('2015-12-16T22:18:37Z'), dateUpdated: new Date('2015-12-16T22:18:37Z'), wasEdited: false }],
    ['a backfilled edit', { Body: 'x', DateCreated: '2015-12-16T22:18:37Z', DateUpdated: '2015-12-16T22:18:38Z', LastUpdatedBy: 'username' }, system, { dateUpdated: new Date('2015-12-16T22:18:38Z'), wasEdited: true, lastUpdatedBy: 'username' }],
    ['an idempotency key', { Body: 'x', IdempotencyKey: 'k1' }, alice, { idempotencyKey: 'k1' }],
  ])('takes %s', (_, fields, actor, expected) => {
    expect(draft(fields, actor)).toMatchObject(expected);
  });

  it.each<[string, Record<string, string>, { code: number; status: number } | null]>([
    ['no body and no media', {}, { code: 50503, status: 400 }],
    ['attributes only', { Attributes: '{}' }, { code: 50503, status: 400 }],
    ['a body of exactly 32 KiB', { Body: 'a'.repeat(32768) }, null],
    ['a body one byte over 32 KiB', { Body: 'a'.repeat(32769) }, { code: 50504, status: 400 }],
    ['32 KiB of UTF-8 in 2-byte characters', { Body: 'é'.repeat(16384) }, null],
    ['one 2-byte character too many', { Body: 'é'.repeat(16385) }, { code: 50504, status: 400 }],
    ['a From of 256 characters', { Body: 'x', From: 'f'.repeat(256) }, null],
    ['a From of 257 characters', { Body: 'x', From: 'f'.repeat(257) }, { code: 50310, status: 400 }],
    ['a LastUpdatedBy of 257 characters', { Body: 'x', LastUpdatedBy: 'u'.repeat(257) }, { code: 50505, status: 400 }],
  ])('with %s', (_, fields, expected) => {
    expect(failure(() => draft(fields))).toEqual(expected);
  });
});

describe('the contract of a send', () => {
  it.each<[string, Record<string, string>]>([
    ['attributes that are not JSON', { Body: 'x', Attributes: 'nope' }],
    ['attributes that are not an object', { Body: 'x', Attributes: '42' }],
    ['attributes over 16 KiB', { Body: 'x', Attributes: JSON.stringify({ a: 'x'.repeat(16 * 1024) }) }],
    ['a MediaSid of another kind', { MediaSid: `IM${'e'.repeat(32)}` }],
    ['a date that is no date', { Body: 'x', DateCreated: 'yesterday' }],
    ['a NUL character in the body (Postgres text cannot hold it)', { Body: 'a\u0000b' }],
    ['a NUL character in From', { Body: 'x', From: 'a\u0000' }],
  ])('refuses %s with a 400', (_, fields) => {
    expect(createMessageParamsSchema.safeParse({ ServiceSid: IS, ChannelSid: CH, ...fields }).success).toBe(false);
  });
});

describe('applyMessageUpdate', () => {
  const later = new Date('2024-05-02T10:00:00.000Z');
  const stored = (): MessageEntity => ({ ...draft({ Body: 'hello', Attributes: '{"a":1}' }), channelSid: CH, toSid: CH, index: 7 });

  it.each<[string, Record<string, string>, Actor, Partial<MessageEntity>]>([
    ['a new body', { Body: 'changed' }, system, { body: 'changed', wasEdited: true, lastUpdatedBy: 'system', dateUpdated: later }],
    ['new attributes', { Attributes: '{"a":2}' }, system, { attributes: '{"a":2}', wasEdited: true }],
    ['the same body again', { Body: 'hello' }, system, { body: 'hello', wasEdited: false }],
    ['only the author', { From: 'carol' }, system, { author: 'carol', wasEdited: false }],
    ['a given editor', { Body: 'x', LastUpdatedBy: 'dave' }, system, { body: 'x', wasEdited: true, lastUpdatedBy: 'dave' }],
    ['the SDK user as editor', { Body: 'x' }, alice, { body: 'x', wasEdited: true, lastUpdatedBy: 'alice' }],
    ['backfilled dates', { DateCreated: '2015-01-01T00:00:00Z', DateUpdated: '2015-01-02T00:00:00Z' }, system, { dateCreated: new Date('2015-01-01T00:00:00Z'), dateUpdated: new Date('2015-01-02T00:00:00Z') }],
  ])('applies %s and keeps the rest', (_, fields, actor, expected) => {
    const before = stored();
    const after = applyMessageUpdate(before, update(fields), actor, later);
    expect(after).toEqual({ ...before, dateUpdated: later, lastUpdatedBy: actor.kind === 'user' ? actor.identity : 'system', ...expected });
    expect(before.body).toBe('hello');
  });

  it('stays edited once edited', () => {
    const once = applyMessageUpdate(stored(), update({ Body: 'changed' }), system, later);
    expect(applyMessageUpdate(once, update({ From: 'x' }), system, later).wasEdited).toBe(true);
  });

  it('refuses a body over 32 KiB with 50504', () => {
    expect(failure(() => applyMessageUpdate(stored(), update({ Body: 'a'.repeat(40000) }), system, later))).toEqual({ code: 50504, status: 400 });
  });
});
