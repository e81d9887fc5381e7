import type twilio from 'twilio';
import { startStack, twilioClient, type Stack } from '@parley/testing';

/*
 * Members, Invites and a User's Channels end to end with the unmodified `twilio` helper against the real
 * services as processes.
 */

describe('Members, Invites and UserChannels through the official twilio helper', () => {
  let stack: Stack;
  let client: twilio.Twilio;
  let base: string;

  beforeAll(async () => {
    stack = await startStack({ label: 'members', apps: ['message-service', 'api-gateway'] });
    base = stack.get('api-gateway').url;
    client = twilioClient(base, stack.accountSid, stack.authToken);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const newService = async (name = 'members e2e') => client.chat.v2.services.create({ friendlyName: name });

  describe('members', () => {
    it('adds a member with every field of the spec, creating the user, and counts it', async () => {
      const service = await newService();
      const svc = client.chat.v2.services(service.sid);
      const channel = await svc.channels.create({ uniqueName: 'room' });
      const member = await svc.channels('room').members.create({
        identity: 'alice',
        attributes: '{"nick":"al"}',
        lastConsumedMessageIndex: 3,
        lastConsumptionTimestamp: new Date('2020-01-01T00:00:00Z'),
        xTwilioWebhookEnabled: 'true',
      });
      expect(member.sid).toMatch(/^MB[0-9a-f]{32}$/);
      expect(member).toMatchObject({
        accountSid: stack.accountSid,
        channelSid: channel.sid,
        serviceSid: service.sid,
        identity: 'alice',
        roleSid: service.defaultChannelRoleSid,
        lastConsumedMessageIndex: 3,
        attributes: '{"nick":"al"}',
        url: `${base}/v2/Services/${service.sid}/Channels/${channel.sid}/Members/${member.sid}`,
      });
      expect(member.lastConsumptionTimestamp?.toISOString()).toBe('2020-01-01T00:00:00.000Z');
      expect(member.dateCreated).toBeInstanceOf(Date);
      expect(member.dateUpdated).toBeInstanceOf(Date);

      const user = await svc.users('alice').fetch();
      expect(user.roleSid).toBe(service.defaultServiceRoleSid);
      expect(user.joinedChannelsCount).toBe(1);
      expect((await svc.channels(channel.sid).fetch()).membersCount).toBe(1);
    });

    it('fetches, updates and removes a member by sid or identity', async () => {
      const service = await newService();
      const svc = client.chat.v2.services(service.sid);
      const channel = await svc.channels.create({});
      const members = svc.channels(channel.sid).members;
      const member = await members.create({ identity: 'bob' });
      expect((await members('bob').fetch()).sid).toBe(member.sid);
      const updated = await members('bob').update({
        roleSid: service.defaultChannelCreatorRoleSid,
        lastConsumedMessageIndex: 7,
        attributes: '{"x":1}',
        xTwilioWebhookEnabled: 'false',
      });
      expect(updated).toMatchObject({ sid: member.sid, roleSid: service.defaultChannelCreatorRoleSid, lastConsumedMessageIndex: 7, attributes: '{"x":1}' });
      expect(updated.lastConsumptionTimestamp).toBeInstanceOf(Date);
      await expect(members(member.sid).remove({ xTwilioWebhookEnabled: 'true' })).resolves.toBe(true);
      await expect(members('bob').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      expect((await svc.channels(channel.sid).fetch()).membersCount).toBe(0);
      expect((await svc.users('bob').fetch()).joinedChannelsCount).toBe(0);
    });

    it('lists members across pages, filtered by repeated Identity', async () => {
      const service = await newService();
      const members = client.chat.v2.services(service.sid).channels;
      const channel = await members.create({});
      const list = members(channel.sid).members;
      for (const identity of ['p1', 'p2', 'p3', 'p4', 'p5']) await list.create({ identity });
      const all = await list.list({ pageSize: 2 });
      expect(all.map((m) => m.identity).sort()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
      const page = await list.page({ pageSize: 2 });
      expect(page.nextPageUrl).toMatch(new RegExp(`^${base}/v2/Services/${service.sid}/Channels/${channel.sid}/Members\\?PageSize=2&Page=1&PageToken=`));
      const filtered = await list.list({ identity: ['p2', 'p5'] });
      expect(filtered.map((m) => m.identity).sort()).toEqual(['p2', 'p5']);
    });

    it('answers each member error with its Twilio code and status', async () => {
      const service = await newService();
      const svc = client.chat.v2.services(service.sid);
      await svc.update({ 'limits.channelMembers': 1, 'limits.userChannels': 1 });
      const channel = await svc.channels.create({});
      const other = await svc.channels.create({});
      const members = svc.channels(channel.sid).members;
      await members.create({ identity: 'carol' });
      await expect(members.create({ identity: 'carol' })).rejects.toMatchObject({ status: 409, code: 50404 });
      await expect(members.create({ identity: 'dave' })).rejects.toMatchObject({ status: 403, code: 50403 });
      await expect(svc.channels(other.sid).members.create({ identity: 'carol' })).rejects.toMatchObject({ status: 403, code: 50208 });
      await expect(svc.channels(other.sid).members.create({ identity: 'erin', roleSid: service.defaultServiceRoleSid })).rejects.toMatchObject({
        status: 400,
        code: 50101,
      });
      await expect(svc.channels(other.sid).members.create({ identity: `US${'d'.repeat(32)}` })).rejects.toMatchObject({ status: 400, code: 50206 });
      await expect(svc.channels(other.sid).members.create({ identity: 'frank', attributes: '[]' })).rejects.toMatchObject({ status: 400, code: 20001 });
      await expect(svc.channels(other.sid).members.create({ identity: 'frank', roleSid: 'RL-not-a-sid' })).rejects.toMatchObject({
        status: 400,
        code: 20001,
      });
      await expect(svc.channels('nowhere').members.create({ identity: 'frank' })).rejects.toMatchObject({ status: 404, code: 20404 });
      await expect(members('nobody').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      const missing = await fetch(`${base}/v2/Services/${service.sid}/Channels/${channel.sid}/Members`, {
        method: 'POST',
        headers: { authorization: basic(stack), 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ code: 20001, message: 'Missing required parameter Identity in the post body' });
    });
  });

  describe('invites', () => {
    it('creates, fetches, lists by repeated Identity and deletes invites', async () => {
      const service = await newService();
      const svc = client.chat.v2.services(service.sid);
      const channel = await svc.channels.create({ uniqueName: 'vip', type: 'private' });
      const invites = svc.channels('vip').invites;
      const invite = await invites.create({ identity: 'ivy', roleSid: service.defaultChannelCreatorRoleSid });
      expect(invite.sid).toMatch(/^IN[0-9a-f]{32}$/);
      expect(invite).toMatchObject({
        accountSid: stack.accountSid,
        channelSid: channel.sid,
        serviceSid: service.sid,
        identity: 'ivy',
        roleSid: service.defaultChannelCreatorRoleSid,
        createdBy: 'system',
        url: `${base}/v2/Services/${service.sid}/Channels/${channel.sid}/Invites/${invite.sid}`,
      });
      expect(invite.dateCreated).toBeInstanceOf(Date);
      expect((await invites(invite.sid).fetch()).identity).toBe('ivy');
      await invites.create({ identity: 'jack' });
      await invites.create({ identity: 'kate' });
      expect((await invites.list({ pageSize: 1 })).map((i) => i.identity).sort()).toEqual(['ivy', 'jack', 'kate']);
      expect((await invites.list({ identity: ['ivy', 'kate'] })).map((i) => i.identity).sort()).toEqual(['ivy', 'kate']);
      await expect(invites(invite.sid).remove()).resolves.toBe(true);
      await expect(invites(invite.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    });

    it('answers invite errors with their codes', async () => {
      const service = await newService();
      const svc = client.chat.v2.services(service.sid);
      const channel = await svc.channels.create({});
      const invites = svc.channels(channel.sid).invites;
      await invites.create({ identity: 'liam' });
      await expect(invites.create({ identity: 'liam' })).rejects.toMatchObject({ status: 409, code: 50212 });
      await svc.channels(channel.sid).members.create({ identity: 'mia' });
      await expect(invites.create({ identity: 'mia' })).rejects.toMatchObject({ status: 409, code: 50404 });
      await expect(invites.create({ identity: 'noah', roleSid: `RL${'0'.repeat(32)}` })).rejects.toMatchObject({ status: 400, code: 50101 });
      await expect(invites(`IN${'0'.repeat(32)}`).remove()).rejects.toMatchObject({ status: 404, code: 20404 });
      const bad = await fetch(`${base}/v2/Services/${service.sid}/Channels/${channel.sid}/Invites/not-a-sid`, { headers: { authorization: basic(stack) } });
      expect(bad.status).toBe(404);
    });
  });

  describe("a User's Channels", () => {
    it('lists memberships and invites with status, links and unread counts; fetches, updates and deletes them', async () => {
      const service = await newService();
      const svc = client.chat.v2.services(service.sid);
      const joined = [];
      for (let i = 0; i < 3; i++) {
        const channel = await svc.channels.create({ uniqueName: `uc-${i}` });
        await svc.channels(channel.sid).members.create({ identity: 'olivia' });
        joined.push(channel);
      }
      const invitedTo = await svc.channels.create({ type: 'private' });
      await svc.channels(invitedTo.sid).invites.create({ identity: 'olivia' });
      const user = await svc.users('olivia').fetch();
      const userChannels = svc.users('olivia').userChannels;

      const entries = await userChannels.list({ pageSize: 2 });
      expect(entries).toHaveLength(4);
      const invited = entries.find((e) => e.channelSid === invitedTo.sid);
      expect(invited).toMatchObject({ status: 'invited', memberSid: null, unreadMessagesCount: null, notificationLevel: 'default' });
      const first = joined[0];
      if (!first) throw new Error('no channel');
      const entry = await userChannels(first.sid).fetch();
      expect(entry).toMatchObject({
        accountSid: stack.accountSid,
        serviceSid: service.sid,
        channelSid: first.sid,
        userSid: user.sid,
        status: 'joined',
        lastConsumedMessageIndex: null,
        unreadMessagesCount: null,
        notificationLevel: 'default',
        url: `${base}/v2/Services/${service.sid}/Users/${user.sid}/Channels/${first.sid}`,
      });
      expect(entry.memberSid).toMatch(/^MB/);
      expect(entry.links).toEqual({
        channel: `${base}/v2/Services/${service.sid}/Channels/${first.sid}`,
        member: `${base}/v2/Services/${service.sid}/Channels/${first.sid}/Members/${entry.memberSid}`,
      });

      const updated = await svc.users(user.sid).userChannels('uc-0').update({ notificationLevel: 'muted', lastConsumedMessageIndex: 0 });
      expect(updated).toMatchObject({ notificationLevel: 'muted', lastConsumedMessageIndex: 0, unreadMessagesCount: 0 });
      expect((await svc.channels(first.sid).members('olivia').fetch()).lastConsumedMessageIndex).toBe(0);

      const capped = await fetch(`${base}/v2/Services/${service.sid}/Users/olivia/Channels?PageSize=100`, { headers: { authorization: basic(stack) } });
      expect(((await capped.json()) as { meta: { page_size: number; key: string } }).meta).toMatchObject({ page_size: 50, key: 'channels' });
      const paged = await userChannels.page({ pageSize: 3 });
      expect(paged.nextPageUrl).toMatch(new RegExp(`^${base}/v2/Services/${service.sid}/Users/olivia/Channels\\?PageSize=3&Page=1&PageToken=`));

      await expect(userChannels(first.sid).remove({ xTwilioWebhookEnabled: 'true' })).resolves.toBe(true);
      await expect(userChannels(invitedTo.sid).remove()).resolves.toBe(true);
      expect(await userChannels.list()).toHaveLength(2);
      expect((await svc.users('olivia').fetch()).joinedChannelsCount).toBe(2);
      expect((await svc.channels(first.sid).fetch()).membersCount).toBe(0);
      await expect(userChannels(first.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      await expect(userChannels(first.sid).update({ notificationLevel: 'muted' })).rejects.toMatchObject({ status: 404, code: 20404 });
      await expect(svc.users('olivia').userChannels('uc-1').update({ notificationLevel: 'loud' as 'muted' })).rejects.toMatchObject({
        status: 400,
        code: 20001,
      });
      await expect(svc.users('nobody').userChannels.list()).rejects.toMatchObject({ status: 404, code: 20404 });
    });
  });
});

function basic(stack: Stack): string {
  return `Basic ${Buffer.from(`${stack.accountSid}:${stack.authToken}`).toString('base64')}`;
}
