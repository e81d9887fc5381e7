import { channelResourceSchema, channelWebhookResourceSchema, inviteResourceSchema, memberResourceSchema } from '@parley/contracts';
import { presentChannelWebhook } from '../channel-webhooks/channel-webhook.presenter';
import { presentInvite } from '../invites/invite.presenter';
import { presentMember } from '../members/member.presenter';
import { NOT_PARTICIPATING, presentChannel, presentMembership } from './channel.presenter';
import type { ViewerRelation } from './channel-views.repository';

const at = new Date('2024-03-04T05:06:07.891Z');
const ids = { accountSid: `AC${'a'.repeat(32)}`, serviceSid: `IS${'b'.repeat(32)}`, channelSid: `CH${'c'.repeat(32)}` };
const channel = {
  sid: ids.channelSid,
  accountSid: ids.accountSid,
  serviceSid: ids.serviceSid,
  friendlyName: null,
  uniqueName: 'u',
  attributes: '{}',
  type: 'public' as const,
  createdBy: 'system',
  membersCount: 2,
  messagesCount: 5,
  nextMessageIndex: 7,
  lastMessageSid: null,
  lastMessageIndex: null,
  lastMessageDate: null,
  dateCreated: at,
  dateUpdated: at,
};

describe('presenters of message-service', () => {
  it('renders a channel with second-precision dates and no last message', () => {
    const resource = presentChannel(channel);
    expect(channelResourceSchema.parse(resource)).toEqual(resource);
    expect(resource).toMatchObject({ date_created: '2024-03-04T05:06:07Z', members_count: 2, messages_count: 5, last_message: null });
  });

  it("renders a channel's last message", () => {
    const resource = presentChannel({ ...channel, lastMessageSid: `IM${'d'.repeat(32)}`, lastMessageIndex: 6, lastMessageDate: at });
    expect(resource.last_message).toEqual({ sid: `IM${'d'.repeat(32)}`, index: 6, date_created: '2024-03-04T05:06:07Z' });
  });

  it('renders no membership unless an SDK user reads', () => {
    expect(presentChannel(channel)).not.toHaveProperty('membership');
    const read = presentChannel(channel, NOT_PARTICIPATING);
    expect(channelResourceSchema.parse(read)).toEqual(read);
    expect(read.membership?.status).toBe('notParticipating');
  });

  const MB = `MB${'9'.repeat(32)}`;
  it.each<[string, ViewerRelation, unknown]>([
    [
      'a membership',
      { memberSid: MB, lastConsumedMessageIndex: 4, notificationLevel: 'muted', unreadMessagesCount: 2, invited: false },
      { status: 'joined', last_consumed_message_index: 4, member_sid: MB, unread_messages_count: 2, notification_level: 'muted' },
    ],
    [
      'a membership without horizon',
      { memberSid: MB, lastConsumedMessageIndex: null, notificationLevel: 'default', unreadMessagesCount: null, invited: false },
      { status: 'joined', last_consumed_message_index: null, member_sid: MB, unread_messages_count: null, notification_level: 'default' },
    ],
    [
      'an invite',
      { ...NOT_PARTICIPATING, invited: true },
      { status: 'invited', last_consumed_message_index: null, member_sid: null, unread_messages_count: null, notification_level: null },
    ],
    [
      'neither',
      NOT_PARTICIPATING,
      { status: 'notParticipating', last_consumed_message_index: null, member_sid: null, unread_messages_count: null, notification_level: null },
    ],
  ])('renders %s as the membership', (_, relation, expected) => {
    expect(presentMembership(relation)).toEqual(expected);
  });

  it('renders members, invites and webhooks valid against their contracts', () => {
    const member = presentMember({
      sid: `MB${'e'.repeat(32)}`,
      ...ids,
      identity: 'ann',
      userSid: `US${'f'.repeat(32)}`,
      roleSid: null,
      lastConsumedMessageIndex: 3,
      lastConsumptionTimestamp: at,
      notificationLevel: 'muted',
      attributes: '{}',
      dateCreated: at,
      dateUpdated: at,
    });
    expect(memberResourceSchema.parse(member)).toEqual(member);
    expect(member).not.toHaveProperty('notification_level');
    expect(member.last_consumption_timestamp).toBe('2024-03-04T05:06:07Z');
    const invite = presentInvite({ sid: `IN${'1'.repeat(32)}`, ...ids, identity: 'bob', roleSid: null, createdBy: 'system', dateCreated: at, dateUpdated: at });
    expect(inviteResourceSchema.parse(invite)).toEqual(invite);
    const webhook = presentChannelWebhook({
      sid: `WH${'2'.repeat(32)}`,
      ...ids,
      type: 'webhook',
      configuration: { url: 'https://a.example', method: null, filters: null },
      dateCreated: at,
      dateUpdated: at,
    });
    expect(channelWebhookResourceSchema.parse(webhook)).toEqual(webhook);
    expect(webhook.configuration).toEqual({ url: 'https://a.example' });
  });
});
