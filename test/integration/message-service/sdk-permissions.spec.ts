import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { channelResourceSchema, ParleyError, type Caller, type ChannelResource, type MessageResource } from '@parley/contracts';
import { startMessageService, type MessageService } from './harness';

/*
 * Role permissions of SDK users (`user` actors) over NATS, against the real Postgres: Twilio's four default roles
 * (service admin / service user; channel admin for the creator / channel user for members) decide every command the
 * realtime gateway sends. A refusal answers Twilio's code and changes no row; a private channel does not exist for
 * anyone who is neither member nor invitee; a role edited over REST applies to the very next command.
 */

type Outcome = 'ok' | { code: number; status: number };
const DENIED = { code: 50107, status: 403 };
const NOT_MEMBER = { code: 50400, status: 403 };
const INVISIBLE = { code: 20404, status: 404 };

async function outcomeOf(promise: Promise<unknown>): Promise<Outcome> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    if (err instanceof ParleyError) return { code: err.code, status: err.status };
    throw err;
  }
}

/** Who asks. `admin` holds the service admin role; the others the default service user role. */
type Who = 'admin' | 'creator' | 'member' | 'outsider';

interface World {
  serviceSid: string;
  channel: ChannelResource;
  /** A message of the creator (channel admin) and one of a member (channel user). */
  byCreator: MessageResource;
  byMember: MessageResource;
  roles: { serviceAdmin: string; serviceUser: string; channelAdmin: string; channelUser: string };
}

describe('message-service: SDK role permissions over NATS', () => {
  let ms: MessageService;
  let pg: Client;

  const system = () => ms.system();
  const as = (serviceSid: string, identity: string, roleSid?: string) => ms.sdkUser(serviceSid, identity, roleSid);
  const send: MessageService['send'] = (subject, payload) => ms.send(subject, payload);

  const roleNamed = async (serviceSid: string, name: string): Promise<string> => {
    const { rows } = await pg.query<{ sid: string }>('SELECT sid FROM roles WHERE service_sid = $1 AND friendly_name = $2', [serviceSid, name]);
    if (!rows[0]) throw new Error(`no role ${name}`);
    return rows[0].sid;
  };

  /**
   * A Service with its default roles and four users (as session.open creates them), and a channel created over the
   * SDK by `creator`, who joined it (channel admin), as did `member` (channel user); one message of each.
   */
  async function world(type: 'public' | 'private' = 'public'): Promise<World> {
    const service = await send('chat.v1.cmd.service.create', { caller: system(), params: { FriendlyName: 'permissions' } });
    const serviceSid = service.sid;
    const roles = {
      serviceAdmin: await roleNamed(serviceSid, 'service admin'),
      serviceUser: await roleNamed(serviceSid, 'service user'),
      channelAdmin: await roleNamed(serviceSid, 'channel admin'),
      channelUser: await roleNamed(serviceSid, 'channel user'),
    };
    for (const identity of ['admin', 'creator', 'member', 'outsider']) {
      await send('chat.v1.cmd.user.create', {
        caller: system(),
        params: { ServiceSid: serviceSid, Identity: identity, ...(identity === 'admin' && { RoleSid: roles.serviceAdmin }) },
      });
    }
    const channel = await send('chat.v1.cmd.channel.create', {
      caller: as(serviceSid, 'creator'),
      params: { ServiceSid: serviceSid, FriendlyName: 'room', UniqueName: `room-${randomBytes(3).toString('hex')}`, Type: type, CreatedBy: 'creator' },
    });
    await send('chat.v1.cmd.channel.join', { caller: as(serviceSid, 'creator'), params: { channel: channel.sid } });
    if (type === 'public') await send('chat.v1.cmd.channel.join', { caller: as(serviceSid, 'member'), params: { channel: channel.sid } });
    else await send('chat.v1.cmd.member.create', { caller: as(serviceSid, 'creator'), params: { ServiceSid: serviceSid, ChannelSid: channel.sid, Identity: 'member' } });
    const say = (identity: string, body: string) =>
      send('chat.v1.cmd.message.create', { caller: as(serviceSid, identity), params: { ServiceSid: serviceSid, ChannelSid: channel.sid, Body: body } });
    return { serviceSid, channel, byCreator: await say('creator', 'from the creator'), byMember: await say('member', 'from a member'), roles };
  }

  /** Every chat row of the Service, and their counts: a refused command must leave both as they were. */
  async function snapshot(serviceSid: string): Promise<{ counts: Record<string, number>; rows: unknown }> {
    const tables = ['channels', 'members', 'invites', 'messages', 'users'];
    const { rows } = await pg.query<Record<string, unknown>>(
      `SELECT ${tables
        .map(
          (t) => `(SELECT count(*)::int FROM ${t} WHERE service_sid = $1) AS ${t}_count,
                  (SELECT coalesce(json_agg(r ORDER BY r.sid), '[]') FROM ${t} r WHERE r.service_sid = $1) AS ${t}_rows`,
        )
        .join(', ')}`,
      [serviceSid],
    );
    const row = rows[0] ?? {};
    return {
      counts: Object.fromEntries(tables.map((t) => [t, row[`${t}_count`] as number])),
      rows: tables.map((t) => row[`${t}_rows`]),
    };
  }

  /** A command in the world's Service and channel, sent as `caller`. */
  type Attempt = (w: World, caller: Caller) => Promise<unknown>;

  /** `run` as the SDK user `who` of the world. */
  function attempt(w: World, who: Who, run: Attempt): Promise<Outcome> {
    return outcomeOf(run(w, as(w.serviceSid, who)));
  }

  /** Runs a refused attempt and proves it changed nothing. */
  async function refused(w: World, who: Who, run: Attempt): Promise<Outcome> {
    const before = await snapshot(w.serviceSid);
    const outcome = await attempt(w, who, run);
    const after = await snapshot(w.serviceSid);
    expect(after.counts).toEqual(before.counts);
    expect(after.rows).toEqual(before.rows);
    return outcome;
  }

  beforeAll(async () => {
    ms = await startMessageService('sdkperm', { poolSize: 20 });
    ({ pg } = ms);
  });

  afterAll(() => ms?.stop());

  const ATTEMPTS = {
    'rename the channel': (w, caller) =>
      send('chat.v1.cmd.channel.update', { caller, params: { ServiceSid: w.serviceSid, Sid: w.channel.sid, FriendlyName: 'renamed' } }),
    'edit its attributes': (w, caller) =>
      send('chat.v1.cmd.channel.update', { caller, params: { ServiceSid: w.serviceSid, Sid: w.channel.sid, Attributes: '{"topic":"x"}' } }),
    'change its unique name': (w, caller) =>
      send('chat.v1.cmd.channel.update', { caller, params: { ServiceSid: w.serviceSid, Sid: w.channel.sid, UniqueName: `new-${randomBytes(3).toString('hex')}` } }),
    'delete the channel': (w, caller) => send('chat.v1.cmd.channel.delete', { caller, params: { ServiceSid: w.serviceSid, Sid: w.channel.sid } }),
    'add a member': (w, caller) =>
      send('chat.v1.cmd.member.create', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Identity: 'newbie' } }),
    'invite someone': (w, caller) =>
      send('chat.v1.cmd.invite.create', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Identity: 'newbie' } }),
    'remove the member': (w, caller) =>
      send('chat.v1.cmd.member.delete', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Sid: 'member' } }),
    'remove the creator': (w, caller) =>
      send('chat.v1.cmd.member.delete', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Sid: 'creator' } }),
    'leave': (w, caller) => send('chat.v1.cmd.channel.leave', { caller, params: { channel: w.channel.sid } }),
    'join': (w, caller) => send('chat.v1.cmd.channel.join', { caller, params: { channel: w.channel.sid } }),
    'send a message': (w, caller) =>
      send('chat.v1.cmd.message.create', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Body: 'hi' } }),
    "edit the member's message": (w, caller) =>
      send('chat.v1.cmd.message.update', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Sid: w.byMember.sid, Body: 'edited' } }),
    "edit the creator's message": (w, caller) =>
      send('chat.v1.cmd.message.update', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Sid: w.byCreator.sid, Body: 'edited' } }),
    "edit the member's message attributes": (w, caller) =>
      send('chat.v1.cmd.message.update', {
        caller,
        params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Sid: w.byMember.sid, Attributes: '{"e":1}' },
      }),
    "edit the creator's message attributes": (w, caller) =>
      send('chat.v1.cmd.message.update', {
        caller,
        params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Sid: w.byCreator.sid, Attributes: '{"e":1}' },
      }),
    "delete the member's message": (w, caller) =>
      send('chat.v1.cmd.message.delete', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Sid: w.byMember.sid } }),
    "delete the creator's message": (w, caller) =>
      send('chat.v1.cmd.message.delete', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Sid: w.byCreator.sid } }),
    'read a page of messages': (w, caller) =>
      send('chat.v1.cmd.message.page', { caller, params: { channel: w.channel.sid, pageSize: 10, direction: 'backwards' } }),
    'recover messages': (w, caller) => send('chat.v1.cmd.message.list-after', { caller, params: { channel: w.channel.sid, afterIndex: -1 } }),
    'fetch a message': (w, caller) =>
      send('chat.v1.cmd.message.fetch', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Sid: w.byCreator.sid } }),
    'list messages': (w, caller) => send('chat.v1.cmd.message.list', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid } }),
    'fetch the channel': (w, caller) => send('chat.v1.cmd.channel.fetch', { caller, params: { ServiceSid: w.serviceSid, Sid: w.channel.sid } }),
    'list its members': (w, caller) => send('chat.v1.cmd.member.list', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid } }),
    'report consumption': (w, caller) => send('chat.v1.cmd.member.consume', { caller, params: { channel: w.channel.sid, index: 0 } }),
    "edit the member's user info": (w, caller) =>
      send('chat.v1.cmd.user.update', { caller, params: { ServiceSid: w.serviceSid, Sid: 'member', FriendlyName: 'Member' } }),
    "fetch the admin's user": (w, caller) => send('chat.v1.cmd.user.fetch', { caller, params: { ServiceSid: w.serviceSid, Sid: 'admin' } }),
    "list the member's user channels": (w, caller) =>
      send('chat.v1.cmd.user-channel.list', { caller, params: { ServiceSid: w.serviceSid, UserSid: 'member' } }),
  } satisfies Record<string, Attempt>;

  // Twilio's default roles, in a public channel: [admin (service admin, not a member), creator (channel admin), member (channel user), outsider].
  const ok = 'ok' as const;
  const PUBLIC: [keyof typeof ATTEMPTS, [Outcome, Outcome, Outcome, Outcome]][] = [
    ['rename the channel', [ok, ok, DENIED, DENIED]],
    ['edit its attributes', [ok, ok, DENIED, DENIED]],
    ['change its unique name', [ok, ok, DENIED, DENIED]],
    ['delete the channel', [ok, ok, DENIED, DENIED]],
    ['add a member', [ok, ok, DENIED, DENIED]],
    ['invite someone', [ok, ok, DENIED, DENIED]],
    ['remove the member', [ok, ok, ok, DENIED]],
    ['remove the creator', [ok, ok, DENIED, DENIED]],
    ['leave', [NOT_MEMBER, ok, ok, NOT_MEMBER]],
    ['join', [ok, { code: 50404, status: 409 }, { code: 50404, status: 409 }, ok]],
    ['send a message', [NOT_MEMBER, ok, ok, NOT_MEMBER]],
    ["edit the member's message", [ok, ok, ok, DENIED]],
    ["edit the creator's message", [ok, ok, DENIED, DENIED]],
    ["edit the member's message attributes", [ok, ok, ok, DENIED]],
    ["edit the creator's message attributes", [ok, ok, DENIED, DENIED]],
    ["delete the member's message", [ok, ok, ok, DENIED]],
    ["delete the creator's message", [ok, ok, DENIED, DENIED]],
    ['read a page of messages', [NOT_MEMBER, ok, ok, NOT_MEMBER]],
    ['recover messages', [NOT_MEMBER, ok, ok, NOT_MEMBER]],
    ['fetch a message', [NOT_MEMBER, ok, ok, NOT_MEMBER]],
    ['list messages', [NOT_MEMBER, ok, ok, NOT_MEMBER]],
    ['fetch the channel', [ok, ok, ok, ok]],
    ['list its members', [ok, ok, ok, ok]],
    ['report consumption', [NOT_MEMBER, ok, ok, NOT_MEMBER]],
    ["edit the member's user info", [ok, DENIED, ok, DENIED]],
    ["fetch the admin's user", [ok, ok, ok, ok]],
    ["list the member's user channels", [DENIED, DENIED, ok, DENIED]],
  ];
  const WHO: Who[] = ['admin', 'creator', 'member', 'outsider'];

  describe.each(PUBLIC)('public channel: %s', (name, outcomes) => {
    it.each(WHO.map((who, i) => [who, outcomes[i]] as const))('by the %s → %p', async (who, expected) => {
      const w = await world();
      const run = ATTEMPTS[name];
      if (expected === 'ok') expect(await attempt(w, who, run)).toBe('ok');
      else expect(await refused(w, who, run)).toEqual(expected);
    });
  });

  // In a private channel its members act as in a public one; to anyone else (the service admin too) it does not exist.
  const PRIVATE_INVISIBLE: (keyof typeof ATTEMPTS)[] = [
    'fetch the channel',
    'join',
    'rename the channel',
    'delete the channel',
    'add a member',
    'invite someone',
    'remove the member',
    'list its members',
    'send a message',
    'read a page of messages',
    'recover messages',
    'report consumption',
    'leave',
  ];

  describe('private channel', () => {
    it.each(PRIVATE_INVISIBLE.flatMap((name) => (['outsider', 'admin'] as const).map((who) => [name, who] as const)))(
      '%s by the %s: not found, as an unknown channel',
      async (name, who) => {
        const w = await world('private');
        expect(await refused(w, who, ATTEMPTS[name])).toEqual(INVISIBLE);
      },
    );

    it.each<[keyof typeof ATTEMPTS, Outcome]>([
      ['rename the channel', 'ok'],
      ['send a message', 'ok'],
      ['read a page of messages', 'ok'],
      ["delete the member's message", 'ok'],
    ])('%s by the creator: %p', async (name, expected) => {
      const w = await world('private');
      expect(await attempt(w, 'creator', ATTEMPTS[name])).toEqual(expected);
    });

    it('is seen by an invitee, who may join it but reads its messages only once a member', async () => {
      const w = await world('private');
      await send('chat.v1.cmd.invite.create', { caller: as(w.serviceSid, 'creator'), params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Identity: 'outsider' } });
      const seen = await send('chat.v1.cmd.channel.fetch', { caller: as(w.serviceSid, 'outsider'), params: { ServiceSid: w.serviceSid, Sid: w.channel.unique_name ?? '' } });
      expect(seen.membership).toEqual({ status: 'invited', last_consumed_message_index: null, member_sid: null, unread_messages_count: null, notification_level: null });
      expect(await refused(w, 'outsider', ATTEMPTS['read a page of messages'])).toEqual(NOT_MEMBER);
      const member = await send('chat.v1.cmd.channel.join', { caller: as(w.serviceSid, 'outsider'), params: { channel: w.channel.sid } });
      expect(member.role_sid).toBe(w.roles.channelUser);
      expect(await attempt(w, 'outsider', ATTEMPTS['read a page of messages'])).toBe('ok');
    });

    it('is not listed among the public channels, whatever Type asks for', async () => {
      const w = await world('private');
      const listed = await send('chat.v1.cmd.channel.list', { caller: as(w.serviceSid, 'admin'), params: { ServiceSid: w.serviceSid, Type: ['private', 'public'] } });
      expect(listed.items).toEqual([]);
      const rest = await send('chat.v1.cmd.channel.list', { caller: system(), params: { ServiceSid: w.serviceSid, Type: ['private'] } });
      expect(rest.items.map((c) => c.sid)).toEqual([w.channel.sid]);
    });
  });

  describe('creating channels', () => {
    it('creates as the user itself, who is not a member until it joins', async () => {
      const w = await world();
      const created = await send('chat.v1.cmd.channel.create', { caller: as(w.serviceSid, 'member'), params: { ServiceSid: w.serviceSid, FriendlyName: 'mine' } });
      expect(created).toMatchObject({ created_by: 'member', members_count: 0, last_message: null });
      expect(created.membership).toEqual({
        status: 'notParticipating',
        last_consumed_message_index: null,
        member_sid: null,
        unread_messages_count: null,
        notification_level: null,
      });
      const joined = await send('chat.v1.cmd.channel.join', { caller: as(w.serviceSid, 'member'), params: { channel: created.sid } });
      expect(joined.role_sid).toBe(w.roles.channelAdmin);
    });

    it('refuses another CreatedBy, backfilled dates, and a role without createChannel', async () => {
      const w = await world();
      const create = (caller: Caller, extra: Record<string, string> = {}) =>
        send('chat.v1.cmd.channel.create', { caller, params: { ServiceSid: w.serviceSid, FriendlyName: 'x', ...extra } });
      const before = await snapshot(w.serviceSid);
      expect(await outcomeOf(create(as(w.serviceSid, 'member'), { CreatedBy: 'admin' }))).toEqual(DENIED);
      expect(await outcomeOf(create(as(w.serviceSid, 'member'), { DateCreated: '2015-01-01T00:00:00Z' }))).toEqual(DENIED);
      const reader = await send('chat.v1.cmd.role.create', {
        caller: system(),
        params: { ServiceSid: w.serviceSid, FriendlyName: 'reader', Type: 'deployment', Permission: ['joinChannel'] },
      });
      await send('chat.v1.cmd.user.update', { caller: system(), params: { ServiceSid: w.serviceSid, Sid: 'outsider', RoleSid: reader.sid } });
      const after = await snapshot(w.serviceSid);
      expect(await outcomeOf(create(as(w.serviceSid, 'outsider')))).toEqual(DENIED);
      expect((await snapshot(w.serviceSid)).counts).toEqual(after.counts);
      expect(after.counts).toEqual(before.counts);
    });
  });

  describe('roles edited over REST', () => {
    it("takes sendMessage away from 'channel user' members at once, and gives it back", async () => {
      const w = await world();
      const channelUser = await send('chat.v1.cmd.role.fetch', { caller: system(), params: { ServiceSid: w.serviceSid, Sid: w.roles.channelUser } });
      const withoutSend = channelUser.permissions.filter((p) => p !== 'sendMessage');
      await send('chat.v1.cmd.role.update', { caller: system(), params: { ServiceSid: w.serviceSid, Sid: w.roles.channelUser, Permission: withoutSend } });
      expect(await refused(w, 'member', ATTEMPTS['send a message'])).toEqual(DENIED);
      // The creator's channel admin role is untouched.
      expect(await attempt(w, 'creator', ATTEMPTS['send a message'])).toBe('ok');
      await send('chat.v1.cmd.role.update', { caller: system(), params: { ServiceSid: w.serviceSid, Sid: w.roles.channelUser, Permission: channelUser.permissions } });
      expect(await attempt(w, 'member', ATTEMPTS['send a message'])).toBe('ok');
    });

    it("gives 'channel user' members removeMember when the role is edited to have it", async () => {
      const w = await world();
      expect(await refused(w, 'member', ATTEMPTS['remove the creator'])).toEqual(DENIED);
      const channelUser = await send('chat.v1.cmd.role.fetch', { caller: system(), params: { ServiceSid: w.serviceSid, Sid: w.roles.channelUser } });
      await send('chat.v1.cmd.role.update', {
        caller: system(),
        params: { ServiceSid: w.serviceSid, Sid: w.roles.channelUser, Permission: [...channelUser.permissions, 'removeMember'] },
      });
      expect(await attempt(w, 'member', ATTEMPTS['remove the creator'])).toBe('ok');
    });

    it("uses the session's service role (the token's deployment_role_sid) over the User's stored one", async () => {
      const w = await world();
      const asAdminForThisSession = as(w.serviceSid, 'outsider', w.roles.serviceAdmin);
      const renamed = await send('chat.v1.cmd.channel.update', {
        caller: asAdminForThisSession,
        params: { ServiceSid: w.serviceSid, Sid: w.channel.sid, FriendlyName: 'by a session admin' },
      });
      expect(renamed.friendly_name).toBe('by a session admin');
      const before = await snapshot(w.serviceSid);
      const asUserForThisSession = as(w.serviceSid, 'admin', w.roles.serviceUser);
      expect(
        await outcomeOf(send('chat.v1.cmd.channel.update', { caller: asUserForThisSession, params: { ServiceSid: w.serviceSid, Sid: w.channel.sid, FriendlyName: 'no' } })),
      ).toEqual(DENIED);
      expect(await snapshot(w.serviceSid)).toEqual(before);
    });
  });

  describe('commands to one channel at once (their permission reads go as one statement)', () => {
    it('answers each sender by its own standing and role, by sid and by unique name alike', async () => {
      const w = await world();
      const sendAs = (identity: string, channel: string, roleSid?: string) =>
        outcomeOf(
          send('chat.v1.cmd.message.create', {
            caller: as(w.serviceSid, identity, roleSid),
            params: { ServiceSid: w.serviceSid, ChannelSid: channel, Body: `from ${identity}`, From: identity },
          }),
        );
      const counters = async () =>
        (
          await pg.query<{ n: number; count: number; next: number }>(
            `SELECT (SELECT count(*)::int FROM messages WHERE channel_sid = $1) AS n, messages_count AS count, next_message_index AS next
               FROM channels WHERE sid = $1`,
            [w.channel.sid],
          )
        ).rows[0];
      const before = await counters();
      const unique = w.channel.unique_name as string;
      const outcomes = await Promise.all([
        sendAs('creator', w.channel.sid),
        sendAs('member', w.channel.sid),
        sendAs('outsider', w.channel.sid),
        sendAs('admin', w.channel.sid),
        sendAs('member', unique),
        sendAs('outsider', unique),
        sendAs('nobody-at-all', w.channel.sid),
        // The same identity in two sessions with different roles: each read by its own.
        sendAs('member', w.channel.sid, w.roles.serviceAdmin),
        sendAs('outsider', `CH${'0'.repeat(32)}`),
      ]);
      expect(outcomes).toEqual(['ok', 'ok', NOT_MEMBER, NOT_MEMBER, 'ok', NOT_MEMBER, NOT_MEMBER, 'ok', INVISIBLE]);
      // The refused sends took no index and counted nowhere.
      expect(await counters()).toEqual({ n: (before?.n ?? 0) + 4, count: (before?.count ?? 0) + 4, next: (before?.next ?? 0) + 4 });
    });

    it('takes the right away from every concurrent sender once the role is edited', async () => {
      const w = await world();
      const channelUser = await send('chat.v1.cmd.role.fetch', { caller: system(), params: { ServiceSid: w.serviceSid, Sid: w.roles.channelUser } });
      await send('chat.v1.cmd.role.update', {
        caller: system(),
        params: { ServiceSid: w.serviceSid, Sid: w.roles.channelUser, Permission: channelUser.permissions.filter((p) => p !== 'sendMessage') },
      });
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          outcomeOf(
            send('chat.v1.cmd.message.create', {
              caller: as(w.serviceSid, i % 2 === 0 ? 'member' : 'creator'),
              params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Body: `try ${i}`, From: i % 2 === 0 ? 'member' : 'creator' },
            }),
          ),
        ),
      );
      expect(outcomes).toEqual([DENIED, 'ok', DENIED, 'ok', DENIED]);
    });
  });

  describe('channel reads with the reader’s membership', () => {
    it('fetch and list carry the membership and the newest message; REST reads never do', async () => {
      const w = await world();
      await send('chat.v1.cmd.member.consume', { caller: as(w.serviceSid, 'member'), params: { channel: w.channel.sid, index: w.byCreator.index } });
      const fetched = await send('chat.v1.cmd.channel.fetch', { caller: as(w.serviceSid, 'member'), params: { ServiceSid: w.serviceSid, Sid: w.channel.sid } });
      expect(channelResourceSchema.parse(fetched)).toEqual(fetched);
      expect(fetched.last_message).toEqual({ sid: w.byMember.sid, index: w.byMember.index, date_created: w.byMember.date_created });
      expect(fetched.membership).toEqual({
        status: 'joined',
        last_consumed_message_index: w.byCreator.index,
        member_sid: expect.stringMatching(/^MB[0-9a-f]{32}$/),
        unread_messages_count: 1,
        notification_level: 'default',
      });
      const byOutsider = await send('chat.v1.cmd.channel.fetch', { caller: as(w.serviceSid, 'outsider'), params: { ServiceSid: w.serviceSid, Sid: w.channel.sid } });
      expect(byOutsider.membership?.status).toBe('notParticipating');

      const listed = await send('chat.v1.cmd.channel.list', { caller: as(w.serviceSid, 'member'), params: { ServiceSid: w.serviceSid } });
      expect(listed.items).toEqual([fetched]);

      const rest = await send('chat.v1.cmd.channel.fetch', { caller: system(), params: { ServiceSid: w.serviceSid, Sid: w.channel.sid } });
      expect(rest).not.toHaveProperty('membership');
      expect((await send('chat.v1.cmd.channel.list', { caller: system(), params: { ServiceSid: w.serviceSid } })).items[0]).not.toHaveProperty('membership');
    });

    it('list-subscribed pages through the joined and invited channels, each with its membership', async () => {
      const w = await world();
      const more = [];
      for (let i = 0; i < 3; i++) {
        more.push(await send('chat.v1.cmd.channel.create', { caller: as(w.serviceSid, 'creator'), params: { ServiceSid: w.serviceSid, FriendlyName: `c${i}`, Type: 'private' } }));
      }
      const [joinedToo, invitedTo, unrelated] = more as [ChannelResource, ChannelResource, ChannelResource];
      // Its creator joins first: as channel admin it may add members.
      await send('chat.v1.cmd.channel.join', { caller: as(w.serviceSid, 'creator'), params: { channel: joinedToo.sid } });
      await send('chat.v1.cmd.member.create', { caller: as(w.serviceSid, 'creator'), params: { ServiceSid: w.serviceSid, ChannelSid: joinedToo.sid, Identity: 'member' } });
      await send('chat.v1.cmd.invite.create', { caller: system(), params: { ServiceSid: w.serviceSid, ChannelSid: invitedTo.sid, Identity: 'member' } });
      void unrelated;

      const seen: ChannelResource[] = [];
      let pageToken: string | undefined;
      let pages = 0;
      do {
        const page = await send('chat.v1.cmd.channel.list-subscribed', { caller: as(w.serviceSid, 'member'), params: { pageSize: 2, pageToken } });
        seen.push(...page.items);
        pageToken = page.nextPageToken ?? undefined;
        pages++;
      } while (pageToken);
      expect(pages).toBe(2);
      const statusOf = Object.fromEntries(seen.map((c) => [c.sid, c.membership?.status]));
      expect(statusOf).toEqual({ [w.channel.sid]: 'joined', [joinedToo.sid]: 'joined', [invitedTo.sid]: 'invited' });
      expect(seen.map((c) => c.sid)).toEqual([...seen.map((c) => c.sid)].sort());
      // A user lists its own only.
      expect(await outcomeOf(send('chat.v1.cmd.channel.list-subscribed', { caller: as(w.serviceSid, 'outsider'), params: { identity: 'member' } }))).toEqual(DENIED);
    });

    it('session.channels answers every joined channel and every invite, with memberships', async () => {
      const w = await world();
      const privateOne = await send('chat.v1.cmd.channel.create', { caller: as(w.serviceSid, 'creator'), params: { ServiceSid: w.serviceSid, Type: 'private' } });
      await send('chat.v1.cmd.channel.join', { caller: as(w.serviceSid, 'creator'), params: { channel: privateOne.sid } });
      await send('chat.v1.cmd.invite.create', { caller: as(w.serviceSid, 'creator'), params: { ServiceSid: w.serviceSid, ChannelSid: privateOne.sid, Identity: 'member' } });
      const session = await send('chat.v1.cmd.session.channels', { caller: as(w.serviceSid, 'member'), params: { serviceSid: w.serviceSid, identity: 'member' } });
      expect(session.channels.map((c) => [c.sid, c.membership?.status, c.last_message?.index])).toEqual([[w.channel.sid, 'joined', w.byMember.index]]);
      expect(session.invited.map((c) => [c.sid, c.membership?.status])).toEqual([[privateOne.sid, 'invited']]);
      const none = await send('chat.v1.cmd.session.channels', { caller: as(w.serviceSid, 'newcomer'), params: {} });
      expect(none).toEqual({ channels: [], invited: [] });
      expect(await outcomeOf(send('chat.v1.cmd.session.channels', { caller: as(w.serviceSid, 'outsider'), params: { identity: 'member' } }))).toEqual(DENIED);
    });
  });

  it('leaves REST callers unrestricted', async () => {
    const w = await world('private');
    const caller = system();
    const renamed = await send('chat.v1.cmd.channel.update', { caller, params: { ServiceSid: w.serviceSid, Sid: w.channel.sid, FriendlyName: 'rest', CreatedBy: 'someone' } });
    expect(renamed).toMatchObject({ friendly_name: 'rest', created_by: 'someone' });
    const message = await send('chat.v1.cmd.message.create', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Body: 'b', From: 'ghost' } });
    expect(message.from).toBe('ghost');
    await send('chat.v1.cmd.message.delete', { caller, params: { ServiceSid: w.serviceSid, ChannelSid: w.channel.sid, Sid: w.byCreator.sid } });
    await send('chat.v1.cmd.channel.delete', { caller, params: { ServiceSid: w.serviceSid, Sid: w.channel.sid } });
    expect((await snapshot(w.serviceSid)).counts).toMatchObject({ channels: 0, members: 0, messages: 0 });
  });
});
