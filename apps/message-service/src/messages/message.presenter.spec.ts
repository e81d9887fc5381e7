import { messageResourceSchema } from '@parley/contracts';
import type { MessageEntity } from '../database/entities';
import { presentMessage } from './message.presenter';

const row = (overrides: Partial<MessageEntity> = {}): MessageEntity => ({
  sid: `IM${'d'.repeat(32)}`,
  accountSid: `AC${'a'.repeat(32)}`,
  serviceSid: `IS${'b'.repeat(32)}`,
  channelSid: `CH${'c'.repeat(32)}`,
  toSid: `CH${'c'.repeat(32)}`,
  index: 3,
  author: 'system',
  body: 'Hello',
  attributes: '{}',
  wasEdited: false,
  lastUpdatedBy: null,
  type: 'text',
  media: null,
  idempotencyKey: 'never shown',
  dateCreated: new Date('2016-03-24T20:37:57.123Z'),
  dateUpdated: new Date('2016-03-24T20:37:57.999Z'),
  ...overrides,
});

describe('presentMessage', () => {
  it("renders Twilio's fetch example, field for field", () => {
    expect(presentMessage(row())).toEqual({
      sid: `IM${'d'.repeat(32)}`,
      account_sid: `AC${'a'.repeat(32)}`,
      service_sid: `IS${'b'.repeat(32)}`,
      to: `CH${'c'.repeat(32)}`,
      channel_sid: `CH${'c'.repeat(32)}`,
      date_created: '2016-03-24T20:37:57Z',
      date_updated: '2016-03-24T20:37:57Z',
      last_updated_by: null,
      was_edited: false,
      from: 'system',
      attributes: '{}',
      body: 'Hello',
      index: 3,
      type: 'text',
      media: null,
    });
  });

  it('renders media and satisfies the wire schema', () => {
    const media = { sid: `ME${'e'.repeat(32)}`, size: 12, content_type: 'application/pdf', filename: 'hello.pdf' };
    const resource = presentMessage(row({ type: 'media', media, body: null }));
    expect(resource.media).toEqual(media);
    expect(messageResourceSchema.parse(resource)).toEqual(resource);
  });
});
