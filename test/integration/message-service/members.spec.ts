import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ParleyError, type MemberResource } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import type { MessageConfig } from '../../../apps/message-service/src/config/message.config';
import { startMessageService, type MessageService, type CollectedEvent, failureCodeOf } from './harness';

/*
 * Members over NATS against the real Postgres and NATS: users created on demand, both counters in the same
 * transaction, the Service limits under concurrent adds, and the SDK's join / leave / consumption commands.
 */

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('message-service: Members over NATS', () => {
  let ms: MessageService;
  let config: MessageConfig;
  let pg: Client;
  let events: CollectedEvent[];

  const system = () => ms.system();
  const sdkUser = (serviceSid: string, identity: string) => ms.sdkUser(serviceSid, identity);
  const send: MessageService['send'] = (subject, payload) => ms.send(subject, payload);

  async function newService(): Promise<{ sid: string; channelRole: string; creatorRole: string; serviceRole: string }> {
    const service = await send('chat.v1.cmd.service.create', { caller: system(), params: { FriendlyName: 'members' } });
    return {
      sid: service.sid,
      channelRole: service.default_channel_role_sid ?? '',
      creatorRole: service.default_channel_creator_role_sid ?? '',
      serviceRole: service.default_service_role_sid ?? '',
    };
  }
  const newChannel = (serviceSid: string, params: Record<string, string> = {}) =>
    send('chat.v1.cmd.channel.create', { caller: system(), params: { ServiceSid: serviceSid, ...params } });
  /** The User an SDK session would have: session.open creates it with the Service's default service role. */
  const createUser = (serviceSid: string, identity: string) =>
    send('chat.v1.cmd.user.create', { caller: system(), params: { ServiceSid: serviceSid, Identity: identity } });
  const addMember = (serviceSid: string, channel: string, identity: string, params: Record<string, string> = {}) =>
    send('chat.v1.cmd.member.create', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel, Identity: identity, ...params } });

  async function counters(channelSid: string): Promise<number> {
    const { rows } = await pg.query<{ n: number }>('SELECT members_count AS n FROM channels WHERE sid = $1', [channelSid]);
    return rows[0]?.n ?? -1;
  }
  async function joined(serviceSid: string, identity: string): Promise<number | null> {
    const { rows } = await pg.query<{ n: number }>('SELECT joined_channels_count AS n FROM users WHERE service_sid = $1 AND identity = $2', [
      serviceSid,
      identity,
    ]);
    return rows[0]?.n ?? null;
  }
  async function memberRows(channelSid: string): Promise<number> {
    const { rows } = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM members WHERE channel_sid = $1', [channelSid]);
    return rows[0]?.n ?? -1;
  }
  const setLimits = (serviceSid: string, limits: { channelMembers?: number; userChannels?: number }) =>
    send('chat.v1.cmd.service.update', {
      caller: system(),
      params: {
        Sid: serviceSid,
        ...(limits.channelMembers !== undefined && { 'Limits.ChannelMembers': limits.channelMembers }),
        ...(limits.userChannels !== undefined && { 'Limits.UserChannels': limits.userChannels }),
      },
    });

  beforeAll(async () => {
    ms = await startMessageService('mbr', { poolSize: 20 });
    ({ config, pg, events } = ms);
  });

  afterAll(() => ms?.stop());

  it('adds a member, creating its user with the default service role, and counts it on both sides', async () => {
    const service = await newService();
    const channel = await newChannel(service.sid);
    const member = await addMember(service.sid, channel.sid, 'alice', { Attributes: '{"a":1}' });
    expect(member).toEqual({
      sid: expect.stringMatching(/^MB[0-9a-f]{32}$/),
      account_sid: config.PARLEY_ACCOUNT_SID,
      channel_sid: channel.sid,
      service_sid: service.sid,
      identity: 'alice',
      date_created: expect.stringMatching(DATE),
      date_updated: expect.stringMatching(DATE),
      role_sid: service.channelRole,
      last_consumed_message_index: null,
      last_consumption_timestamp: null,
      attributes: '{"a":1}',
    });
    const { rows } = await pg.query('SELECT role_sid, joined_channels_count FROM users WHERE service_sid = $1 AND identity = $2', [service.sid, 'alice']);
    expect(rows).toEqual([{ role_sid: service.serviceRole, joined_channels_count: 1 }]);
    expect(await counters(channel.sid)).toBe(1);
    await waitFor(() => events.some((e) => e.name === 'member.added' && (e.payload as MemberResource).sid === member.sid), {
      description: 'member.added',
    });
    expect(events.find((e) => e.name === 'member.added' && (e.payload as MemberResource).sid === member.sid)).toMatchObject({
      serviceSid: service.sid,
      payload: member,
    });
  });

  it('addresses the channel by unique name and the member by identity; updates and removes it', async () => {
    const service = await newService();
    const channel = await newChannel(service.sid, { UniqueName: 'general' });
    const member = await addMember(service.sid, 'general', 'bob');
    const byIdentity = await send('chat.v1.cmd.member.fetch', { caller: system(), params: { ServiceSid: service.sid, ChannelSid: 'general', Sid: 'bob' } });
    expect(byIdentity).toEqual(member);
    const updated = await send('chat.v1.cmd.member.update', {
      caller: system(),
      params: { ServiceSid: service.sid, ChannelSid: channel.sid, Sid: member.sid, LastConsumedMessageIndex: '4', RoleSid: service.creatorRole, Attributes: '{"b":2}' },
    });
    expect(updated).toMatchObject({ last_consumed_message_index: 4, role_sid: service.creatorRole, attributes: '{"b":2}' });
    expect(updated.last_consumption_timestamp).toMatch(DATE);
    await send('chat.v1.cmd.member.delete', { caller: system(), params: { ServiceSid: service.sid, ChannelSid: channel.sid, Sid: 'bob' } });
    expect(await counters(channel.sid)).toBe(0);
    expect(await joined(service.sid, 'bob')).toBe(0);
    expect(
      await failureCodeOf(send('chat.v1.cmd.member.fetch', { caller: system(), params: { ServiceSid: service.sid, ChannelSid: channel.sid, Sid: member.sid } })),
    ).toEqual({ code: 20404, status: 404 });
  });

  it.each<[string, (s: { sid: string; serviceRole: string }) => Record<string, string>, { code: number; status: number }]>([
    ['a role that does not exist', () => ({ RoleSid: `RL${'0'.repeat(32)}` }), { code: 50101, status: 400 }],
    ['a service-scope role', (s) => ({ RoleSid: s.serviceRole }), { code: 50101, status: 400 }],
  ])('refuses %s as member role', async (_, extra, expected) => {
    const service = await newService();
    const channel = await newChannel(service.sid);
    expect(await failureCodeOf(addMember(service.sid, channel.sid, 'carol', extra(service)))).toEqual(expected);
    expect(await memberRows(channel.sid)).toBe(0);
    expect(await joined(service.sid, 'carol')).toBeNull();
  });

  it('refuses a second membership of the same identity with 409 50404, and an identity shaped like a user sid', async () => {
    const service = await newService();
    const channel = await newChannel(service.sid);
    await addMember(service.sid, channel.sid, 'dave');
    expect(await failureCodeOf(addMember(service.sid, channel.sid, 'dave'))).toEqual({ code: 50404, status: 409 });
    expect(await failureCodeOf(addMember(service.sid, channel.sid, `US${'a'.repeat(32)}`))).toEqual({ code: 50206, status: 400 });
    expect(await counters(channel.sid)).toBe(1);
  });

  it('keeps limits.channel_members under concurrent adds (50403)', async () => {
    const service = await newService();
    await setLimits(service.sid, { channelMembers: 3 });
    const channel = await newChannel(service.sid);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => addMember(service.sid, channel.sid, `crowd-${i}`)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as ParleyError] : []));
    expect(ok).toHaveLength(3);
    expect(refused.map((e) => [e.code, e.status])).toEqual(Array(7).fill([50403, 403]));
    expect(await counters(channel.sid)).toBe(3);
    expect(await memberRows(channel.sid)).toBe(3);
  });

  it('keeps limits.user_channels under concurrent adds of one new identity to many channels (50208)', async () => {
    const service = await newService();
    await setLimits(service.sid, { userChannels: 2 });
    const channels = await Promise.all(Array.from({ length: 6 }, () => newChannel(service.sid)));
    const results = await Promise.allSettled(channels.map((c) => addMember(service.sid, c.sid, 'busy')));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as ParleyError] : []));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(refused.map((e) => [e.code, e.status])).toEqual(Array(4).fill([50208, 403]));
    expect(await joined(service.sid, 'busy')).toBe(2);
    const { rows } = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE service_sid = $1 AND identity = $2', [service.sid, 'busy']);
    expect(rows[0]?.n).toBe(1);
  });

  it('deleting a channel removes its members and gives their users one joined channel less, in one go', async () => {
    const service = await newService();
    const doomed = await newChannel(service.sid);
    const kept = await newChannel(service.sid);
    await addMember(service.sid, doomed.sid, 'erin');
    await addMember(service.sid, kept.sid, 'erin');
    await addMember(service.sid, doomed.sid, 'frank');
    expect(await joined(service.sid, 'erin')).toBe(2);
    await send('chat.v1.cmd.channel.delete', { caller: system(), params: { ServiceSid: service.sid, Sid: doomed.sid } });
    expect(await memberRows(doomed.sid)).toBe(0);
    expect(await joined(service.sid, 'erin')).toBe(1);
    expect(await joined(service.sid, 'frank')).toBe(0);
    expect(await counters(kept.sid)).toBe(1);
  });

  it('lists members across pages with an Identity filter', async () => {
    const service = await newService();
    const channel = await newChannel(service.sid);
    for (const identity of ['m1', 'm2', 'm3', 'm4', 'm5']) await addMember(service.sid, channel.sid, identity);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await send('chat.v1.cmd.member.list', {
        caller: system(),
        params: { ServiceSid: service.sid, ChannelSid: channel.sid, PageSize: 2, ...(token && { PageToken: token }) },
      });
      seen.push(...page.items.map((m) => m.identity));
      token = page.nextPageToken ?? undefined;
    } while (token);
    expect(seen.sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    const filtered = await send('chat.v1.cmd.member.list', {
      caller: system(),
      params: { ServiceSid: service.sid, ChannelSid: channel.sid, Identity: ['m2', 'm4'] },
    });
    expect(filtered.items.map((m) => m.identity).sort()).toEqual(['m2', 'm4']);
  });

  describe('SDK commands', () => {
    it('joins a public channel as the actor, with the creator role for its creator, and leaves it', async () => {
      const service = await newService();
      const channel = await newChannel(service.sid, { CreatedBy: 'owner' });
      for (const identity of ['owner', 'guest']) await createUser(service.sid, identity);
      const owner = await send('chat.v1.cmd.channel.join', { caller: sdkUser(service.sid, 'owner'), params: { channel: channel.sid } });
      expect(owner).toMatchObject({ identity: 'owner', role_sid: service.creatorRole });
      const guest = await send('chat.v1.cmd.channel.join', { caller: sdkUser(service.sid, 'guest'), params: { channel: channel.sid } });
      expect(guest).toMatchObject({ identity: 'guest', role_sid: service.channelRole });
      expect(await counters(channel.sid)).toBe(2);
      await send('chat.v1.cmd.channel.leave', { caller: sdkUser(service.sid, 'guest'), params: { channel: channel.sid } });
      expect(await counters(channel.sid)).toBe(1);
      expect(await failureCodeOf(send('chat.v1.cmd.channel.leave', { caller: sdkUser(service.sid, 'guest'), params: { channel: channel.sid } }))).toEqual({
        code: 50400,
        status: 403,
      });
      await waitFor(() => events.some((e) => e.name === 'member.removed' && (e.payload as MemberResource).sid === guest.sid), {
        description: 'member.removed',
      });
    });

    it('refuses to join a private channel without an invite (it is invisible), and consumes the invite when there is one', async () => {
      const service = await newService();
      const channel = await newChannel(service.sid, { Type: 'private' });
      await createUser(service.sid, 'outsider');
      expect(await failureCodeOf(send('chat.v1.cmd.channel.join', { caller: sdkUser(service.sid, 'outsider'), params: { channel: channel.sid } }))).toEqual({
        code: 20404,
        status: 404,
      });
      expect(await memberRows(channel.sid)).toBe(0);
      // A REST join on behalf of an identity without an invite is refused as before.
      expect(
        await failureCodeOf(send('chat.v1.cmd.channel.join', { caller: system(), params: { serviceSid: service.sid, identity: 'outsider', channel: channel.sid } })),
      ).toEqual({ code: 50107, status: 403 });
      await send('chat.v1.cmd.invite.create', {
        caller: system(),
        params: { ServiceSid: service.sid, ChannelSid: channel.sid, Identity: 'insider', RoleSid: service.creatorRole },
      });
      const member = await send('chat.v1.cmd.channel.join', { caller: sdkUser(service.sid, 'insider'), params: { channel: channel.sid } });
      expect(member.role_sid).toBe(service.creatorRole);
      const { rows } = await pg.query('SELECT sid FROM invites WHERE channel_sid = $1', [channel.sid]);
      expect(rows).toEqual([]);
    });

    it('acts only as the caller itself, in the Service of its token', async () => {
      const service = await newService();
      const other = await newService();
      const channel = await newChannel(service.sid);
      expect(
        await failureCodeOf(send('chat.v1.cmd.channel.join', { caller: sdkUser(service.sid, 'me'), params: { channel: channel.sid, identity: 'someone-else' } })),
      ).toEqual({ code: 50107, status: 403 });
      expect(
        await failureCodeOf(send('chat.v1.cmd.channel.join', { caller: sdkUser(other.sid, 'me'), params: { serviceSid: service.sid, channel: channel.sid } })),
      ).toEqual({ code: 50107, status: 403 });
      expect(await failureCodeOf(send('chat.v1.cmd.channel.join', { caller: system(), params: { serviceSid: service.sid, channel: channel.sid } }))).toEqual({
        code: 20001,
        status: 400,
      });
    });

    it('moves the consumption horizon: an index, forward only with advance, all, and none', async () => {
      const service = await newService();
      const channel = await newChannel(service.sid);
      await createUser(service.sid, 'reader');
      await send('chat.v1.cmd.channel.join', { caller: sdkUser(service.sid, 'reader'), params: { channel: channel.sid } });
      // Messages are the Messages resource's; three rows with indexes 0..2 and the channel counter as it keeps them.
      for (let index = 0; index < 3; index++) {
        await pg.query(
          `INSERT INTO messages (sid, account_sid, service_sid, channel_sid, index, body, to_sid, date_created, date_updated)
           VALUES ($1, $2, $3, $4, $5, 'hi', $4, now(), now())`,
          [`IM${randomBytes(16).toString('hex')}`, config.PARLEY_ACCOUNT_SID, service.sid, channel.sid, index],
        );
      }
      await pg.query('UPDATE channels SET next_message_index = 3, messages_count = 3, last_message_index = 2 WHERE sid = $1', [channel.sid]);
      const consume = (index: number | null | 'all', advance?: boolean) =>
        send('chat.v1.cmd.member.consume', {
          caller: sdkUser(service.sid, 'reader'),
          params: { channel: channel.sid, index, ...(advance !== undefined && { advance }) },
        });

      expect(await consume(0)).toMatchObject({ member: { last_consumed_message_index: 0 }, unread_messages_count: 2 });
      expect((await consume(0)).member.last_consumption_timestamp).toMatch(DATE);
      expect(await consume('all')).toMatchObject({ member: { last_consumed_message_index: 2 }, unread_messages_count: 0 });
      expect(await consume(1, true)).toMatchObject({ member: { last_consumed_message_index: 2 }, unread_messages_count: 0 });
      expect(await consume(1)).toMatchObject({ member: { last_consumed_message_index: 1 }, unread_messages_count: 1 });
      expect(await consume(null)).toMatchObject({ member: { last_consumed_message_index: null }, unread_messages_count: null });
      expect(await failureCodeOf(send('chat.v1.cmd.member.consume', { caller: sdkUser(service.sid, 'stranger'), params: { channel: channel.sid, index: 1 } }))).toEqual(
        { code: 50400, status: 403 },
      );
    });
  });
});
