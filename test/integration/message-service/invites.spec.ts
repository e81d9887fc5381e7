import 'reflect-metadata';
import { Client } from 'pg';
import type { InviteResource } from '@parley/contracts';
import { waitFor } from '@parley/testing';
import type { MessageConfig } from '../../../apps/message-service/src/config/message.config';
import { startMessageService, type MessageService, type CollectedEvent, failureCodeOf } from './harness';

/*
 * Invites and a User's Channels over NATS against the real Postgres and NATS, with the SDK's decline and
 * channel list at connect.
 */

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('message-service: Invites and UserChannels over NATS', () => {
  let ms: MessageService;
  let config: MessageConfig;
  let pg: Client;
  let events: CollectedEvent[];

  const system = () => ms.system();
  const sdkUser = (serviceSid: string, identity: string) => ms.sdkUser(serviceSid, identity);
  const send: MessageService['send'] = (subject, payload) => ms.send(subject, payload);
  const newService = () => send('chat.v1.cmd.service.create', { caller: system(), params: { FriendlyName: 'invites' } });
  const newChannel = (serviceSid: string, params: Record<string, string> = {}) =>
    send('chat.v1.cmd.channel.create', { caller: system(), params: { ServiceSid: serviceSid, ...params } });
  const invite = (serviceSid: string, channel: string, identity: string, extra: Record<string, string> = {}) =>
    send('chat.v1.cmd.invite.create', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel, Identity: identity, ...extra } });
  const addMember = (serviceSid: string, channel: string, identity: string) =>
    send('chat.v1.cmd.member.create', { caller: system(), params: { ServiceSid: serviceSid, ChannelSid: channel, Identity: identity } });

  beforeAll(async () => {
    ms = await startMessageService('inv', { poolSize: 10 });
    ({ config, pg, events } = ms);
  });

  afterAll(() => ms?.stop());

  describe('invites', () => {
    it('invites an identity with the default channel role, creating its user, and publishes invite.added', async () => {
      const service = await newService();
      const channel = await newChannel(service.sid, { UniqueName: 'club' });
      const created = await invite(service.sid, 'club', 'ivy');
      expect(created).toEqual({
        sid: expect.stringMatching(/^IN[0-9a-f]{32}$/),
        account_sid: config.PARLEY_ACCOUNT_SID,
        channel_sid: channel.sid,
        service_sid: service.sid,
        identity: 'ivy',
        date_created: expect.stringMatching(DATE),
        date_updated: expect.stringMatching(DATE),
        role_sid: service.default_channel_role_sid,
        created_by: 'system',
      });
      const { rows } = await pg.query('SELECT joined_channels_count FROM users WHERE service_sid = $1 AND identity = $2', [service.sid, 'ivy']);
      expect(rows).toEqual([{ joined_channels_count: 0 }]);
      const event = await waitFor(() => events.find((e) => e.name === 'invite.added' && (e.payload as InviteResource).sid === created.sid));
      expect(event.payload).toEqual(created);
      await expect(
        send('chat.v1.cmd.invite.fetch', { caller: system(), params: { ServiceSid: service.sid, ChannelSid: channel.sid, Sid: created.sid } }),
      ).resolves.toEqual(created);
    });

    it('refuses a second invite (409 50212), an invite of a member (409 50404) and a service role (400 50101)', async () => {
      const service = await newService();
      const channel = await newChannel(service.sid);
      await invite(service.sid, channel.sid, 'jay');
      expect(await failureCodeOf(invite(service.sid, channel.sid, 'jay'))).toEqual({ code: 50212, status: 409 });
      await addMember(service.sid, channel.sid, 'kim');
      expect(await failureCodeOf(invite(service.sid, channel.sid, 'kim'))).toEqual({ code: 50404, status: 409 });
      expect(await failureCodeOf(invite(service.sid, channel.sid, 'lee', { RoleSid: service.default_service_role_sid ?? '' }))).toEqual({
        code: 50101,
        status: 400,
      });
    });

    it('is consumed when the identity is added as a member', async () => {
      const service = await newService();
      const channel = await newChannel(service.sid);
      const pending = await invite(service.sid, channel.sid, 'max');
      await addMember(service.sid, channel.sid, 'max');
      expect(
        await failureCodeOf(send('chat.v1.cmd.invite.fetch', { caller: system(), params: { ServiceSid: service.sid, ChannelSid: channel.sid, Sid: pending.sid } })),
      ).toEqual({ code: 20404, status: 404 });
      await waitFor(() => events.some((e) => e.name === 'invite.removed' && (e.payload as InviteResource).sid === pending.sid));
    });

    it('lists with the Identity filter and deletes', async () => {
      const service = await newService();
      const channel = await newChannel(service.sid);
      for (const identity of ['n1', 'n2', 'n3']) await invite(service.sid, channel.sid, identity);
      const list = (params: Record<string, unknown> = {}) =>
        send('chat.v1.cmd.invite.list', { caller: system(), params: { ServiceSid: service.sid, ChannelSid: channel.sid, ...params } });
      expect((await list()).items.map((i) => i.identity).sort()).toEqual(['n1', 'n2', 'n3']);
      const filtered = await list({ Identity: ['n1', 'n3'] });
      expect(filtered.items.map((i) => i.identity).sort()).toEqual(['n1', 'n3']);
      const target = filtered.items[0];
      if (!target) throw new Error('no invite');
      await send('chat.v1.cmd.invite.delete', { caller: system(), params: { ServiceSid: service.sid, ChannelSid: channel.sid, Sid: target.sid } });
      expect((await list()).items).toHaveLength(2);
      expect(
        await failureCodeOf(send('chat.v1.cmd.invite.delete', { caller: system(), params: { ServiceSid: service.sid, ChannelSid: channel.sid, Sid: target.sid } })),
      ).toEqual({ code: 20404, status: 404 });
    });

    it('is declined by the invitee over the SDK (50601 when there is none)', async () => {
      const service = await newService();
      const channel = await newChannel(service.sid);
      const pending = await invite(service.sid, channel.sid, 'olga');
      await send('chat.v1.cmd.invite.decline', { caller: sdkUser(service.sid, 'olga'), params: { channel: channel.sid } });
      await waitFor(() => events.some((e) => e.name === 'invite.removed' && (e.payload as InviteResource).sid === pending.sid));
      expect(await failureCodeOf(send('chat.v1.cmd.invite.decline', { caller: sdkUser(service.sid, 'olga'), params: { channel: channel.sid } }))).toEqual({
        code: 50601,
        status: 404,
      });
    });

    it('is declined by the invitee of a private channel, which it then no longer sees', async () => {
      const service = await newService();
      const channel = await newChannel(service.sid, { Type: 'private' });
      const pending = await invite(service.sid, channel.sid, 'olga');
      await send('chat.v1.cmd.invite.decline', { caller: sdkUser(service.sid, 'olga'), params: { channel: channel.sid } });
      await waitFor(() => events.some((e) => e.name === 'invite.removed' && (e.payload as InviteResource).sid === pending.sid));
      expect(await failureCodeOf(send('chat.v1.cmd.invite.decline', { caller: sdkUser(service.sid, 'olga'), params: { channel: channel.sid } }))).toEqual({
        code: 20404,
        status: 404,
      });
    });
  });

  describe("a User's Channels", () => {
    it('lists memberships (joined) and invites (invited) with the unread count, across pages of at most 50', async () => {
      const service = await newService();
      const joinedChannels = await Promise.all([newChannel(service.sid), newChannel(service.sid), newChannel(service.sid)]);
      const invitedChannel = await newChannel(service.sid, { Type: 'private' });
      for (const c of joinedChannels) await addMember(service.sid, c.sid, 'pat');
      await invite(service.sid, invitedChannel.sid, 'pat');
      const first = joinedChannels[0];
      if (!first) throw new Error('no channel');
      await pg.query(
        `INSERT INTO messages (sid, account_sid, service_sid, channel_sid, index, body, to_sid)
         SELECT 'IM' || md5(random()::text), $1, $2, $3, i, 'm', $3 FROM generate_series(0, 4) AS i`,
        [config.PARLEY_ACCOUNT_SID, service.sid, first.sid],
      );
      await send('chat.v1.cmd.user-channel.update', {
        caller: system(),
        params: { ServiceSid: service.sid, UserSid: 'pat', ChannelSid: first.sid, LastConsumedMessageIndex: '1', NotificationLevel: 'muted' },
      });

      const entries = [];
      let token: string | undefined;
      do {
        const page = await send('chat.v1.cmd.user-channel.list', {
          caller: system(),
          params: { ServiceSid: service.sid, UserSid: 'pat', PageSize: 3, ...(token && { PageToken: token }) },
        });
        entries.push(...page.items);
        token = page.nextPageToken ?? undefined;
      } while (token);
      expect(entries).toHaveLength(4);
      const { rows } = await pg.query<{ sid: string }>('SELECT sid FROM users WHERE service_sid = $1 AND identity = $2', [service.sid, 'pat']);
      const userSid = rows[0]?.sid;
      expect(entries.find((e) => e.channel_sid === first.sid)).toEqual({
        account_sid: config.PARLEY_ACCOUNT_SID,
        service_sid: service.sid,
        channel_sid: first.sid,
        user_sid: userSid,
        member_sid: expect.stringMatching(/^MB/),
        status: 'joined',
        last_consumed_message_index: 1,
        unread_messages_count: 3,
        notification_level: 'muted',
      });
      expect(entries.find((e) => e.channel_sid === joinedChannels[1]?.sid)).toMatchObject({ status: 'joined', unread_messages_count: null });
      expect(entries.find((e) => e.channel_sid === invitedChannel.sid)).toMatchObject({
        status: 'invited',
        member_sid: null,
        last_consumed_message_index: null,
        unread_messages_count: null,
      });
      expect(
        await failureCodeOf(send('chat.v1.cmd.user-channel.list', { caller: system(), params: { ServiceSid: service.sid, UserSid: 'pat', PageSize: 51 } })),
      ).toEqual({ code: 20001, status: 400 });
    });

    it('fetches one by user sid or identity and channel sid or unique name; 404 when the user is not in it', async () => {
      const service = await newService();
      const channel = await newChannel(service.sid, { UniqueName: 'room' });
      const member = await addMember(service.sid, 'room', 'quinn');
      const { rows } = await pg.query<{ sid: string }>('SELECT sid FROM users WHERE identity = $1 AND service_sid = $2', ['quinn', service.sid]);
      const userSid = rows[0]?.sid ?? '';
      const fetchEntry = (user: string, channelKey: string) =>
        send('chat.v1.cmd.user-channel.fetch', { caller: system(), params: { ServiceSid: service.sid, UserSid: user, ChannelSid: channelKey } });
      const byKeys = await fetchEntry('quinn', 'room');
      expect(byKeys).toEqual(await fetchEntry(userSid, channel.sid));
      expect(byKeys).toMatchObject({ member_sid: member.sid, status: 'joined', notification_level: 'default' });
      const elsewhere = await newChannel(service.sid);
      expect(await failureCodeOf(fetchEntry('quinn', elsewhere.sid))).toEqual({ code: 20404, status: 404 });
      expect(await failureCodeOf(fetchEntry('nobody', channel.sid))).toEqual({ code: 20404, status: 404 });
    });

    it('deleting one removes the membership with both counters, or declines the invite', async () => {
      const service = await newService();
      const channel = await newChannel(service.sid);
      const invitedTo = await newChannel(service.sid);
      await addMember(service.sid, channel.sid, 'rex');
      await invite(service.sid, invitedTo.sid, 'rex');
      const remove = (channelSid: string) =>
        send('chat.v1.cmd.user-channel.delete', { caller: system(), params: { ServiceSid: service.sid, UserSid: 'rex', ChannelSid: channelSid } });
      await remove(channel.sid);
      await remove(invitedTo.sid);
      const { rows } = await pg.query(
        `SELECT (SELECT members_count FROM channels WHERE sid = $1) AS members, (SELECT joined_channels_count FROM users WHERE identity = 'rex' AND service_sid = $2) AS joined,
                (SELECT count(*)::int FROM invites WHERE channel_sid = $3) AS invites`,
        [channel.sid, service.sid, invitedTo.sid],
      );
      expect(rows).toEqual([{ members: 0, joined: 0, invites: 0 }]);
      expect(await failureCodeOf(remove(channel.sid))).toEqual({ code: 20404, status: 404 });
    });

    it('names the channels of an identity for socket rooms at connect', async () => {
      const service = await newService();
      const a = await newChannel(service.sid);
      const b = await newChannel(service.sid);
      const c = await newChannel(service.sid, { Type: 'private' });
      await addMember(service.sid, a.sid, 'sam');
      await addMember(service.sid, b.sid, 'sam');
      await invite(service.sid, c.sid, 'sam');
      const mine = await send('chat.v1.cmd.user-channel.list-for-identity', { caller: sdkUser(service.sid, 'sam'), params: {} });
      expect(mine).toEqual({ channel_sids: [a.sid, b.sid].sort(), invited_channel_sids: [c.sid] });
      await expect(send('chat.v1.cmd.user-channel.list-for-identity', { caller: sdkUser(service.sid, 'newcomer'), params: {} })).resolves.toEqual({
        channel_sids: [],
        invited_channel_sids: [],
      });
      await expect(
        send('chat.v1.cmd.user-channel.list-for-identity', { caller: system(), params: { serviceSid: service.sid, identity: 'sam' } }),
      ).resolves.toEqual(mine);
    });
  });
});
