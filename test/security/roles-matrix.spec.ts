import twilio from 'twilio';
import { Client, SDKError, type Channel, type Message } from '@parley/client';
import { chatFixture, startStack, waitFor, type ChatFixture, type Stack } from '@parley/testing';

/**
 * The four default roles × the permissions they grant, enforced on SDK actions (permissions-errors.md §1–3): each
 * action is tried by a user holding each combination of a default service role and a default channel role; it must
 * succeed exactly when the union of the two roles grants the permission (own-item actions also pass with the "any"
 * permission), and otherwise fail with 50107 / 403 and change nothing.
 * The expectations are Twilio's table, written out here, not read from the product; a fifth pair of custom roles
 * that grant none of these permissions shows every action refused.
 */
const ROLE_PERMISSIONS: Record<string, readonly string[]> = {
  'service admin': ['addMember', 'createChannel', 'deleteAnyMessage', 'destroyChannel', 'editAnyMessage', 'editAnyMessageAttributes', 'editAnyUserInfo', 'editChannelAttributes', 'editChannelName', 'inviteMember', 'joinChannel', 'removeMember'],
  'service user': ['createChannel', 'editOwnUserInfo', 'joinChannel'],
  'channel admin': ['addMember', 'deleteAnyMessage', 'destroyChannel', 'editAnyMessage', 'editAnyMessageAttributes', 'editChannelAttributes', 'editChannelName', 'inviteMember', 'removeMember', 'leaveChannel', 'sendMessage', 'sendMediaMessage'],
  'channel user': ['leaveChannel', 'sendMessage', 'sendMediaMessage', 'editOwnMessage', 'editOwnMessageAttributes', 'deleteOwnMessage'],
  // Custom roles granting none of the permissions under test: every action is refused, even to the author.
  'restricted service': ['editAnyMemberAttributes'],
  'restricted channel': ['editAnyMemberAttributes'],
};

interface Scene {
  actor: Client;
  channel: Channel | null;
  channelSid: string;
  own: Message | null;
  theirs: Message | null;
}

interface Action {
  name: string;
  /** Any one of these permissions allows it. */
  needs: string[];
  /** Whether the actor is a member of the channel (with the channel role) when acting. */
  member: boolean;
  run(scene: Scene): Promise<unknown>;
  /** Through REST, after the attempt: did it take effect? */
  tookEffect(scene: Scene, chat: ChatFixture): Promise<boolean>;
}

const COMBOS = [
  ['service admin', 'channel admin'],
  ['service admin', 'channel user'],
  ['service user', 'channel admin'],
  ['service user', 'channel user'],
  ['restricted service', 'restricted channel'],
] as const;

describe('default roles × permissions through the SDK', () => {
  let stack: Stack;
  let chat: ChatFixture;
  let roles: Record<string, string>;
  const clients: Client[] = [];

  beforeAll(async () => {
    stack = await startStack({ label: 'secroles', apps: ['message-service', 'presence-service', 'api-gateway', 'realtime-gateway'] });
    chat = await chatFixture(stack, 'roles matrix');
    const list = await chat.rest.chat.v2.services(chat.serviceSid).roles.list();
    roles = Object.fromEntries(list.map((r) => [r.friendlyName, r.sid]));
    for (const [name, type] of [['restricted service', 'deployment'], ['restricted channel', 'channel']] as const) {
      roles[name] = (await svc().roles.create({ friendlyName: name, type, permission: [...(ROLE_PERMISSIONS[name] ?? [])] })).sid;
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.shutdown().catch(() => undefined)));
    await stack?.stop();
  });

  const svc = () => chat.rest.chat.v2.services(chat.serviceSid);
  const exists = (p: Promise<unknown>) => p.then(() => true, () => false);
  const messageBody = async (channelSid: string, sid: string) => (await svc().channels(channelSid).messages(sid).fetch()).body;

  const ACTIONS: Action[] = [
    {
      name: 'create a channel', needs: ['createChannel'], member: false,
      run: (s) => s.actor.createChannel({ friendlyName: `made by ${s.actor.user.identity}`, uniqueName: `made-${s.channelSid}` }),
      tookEffect: (s) => exists(svc().channels(`made-${s.channelSid}`).fetch()),
    },
    {
      name: 'join a public channel', needs: ['joinChannel'], member: false,
      run: async (s) => (await s.actor.getChannelBySid(s.channelSid)).join(),
      tookEffect: (s) => exists(svc().channels(s.channelSid).members(s.actor.user.identity).fetch()),
    },
    {
      name: 'destroy the channel', needs: ['destroyChannel'], member: true,
      run: (s) => (s.channel as Channel).delete(),
      tookEffect: async (s) => !(await exists(svc().channels(s.channelSid).fetch())),
    },
    {
      name: 'rename the channel', needs: ['editChannelName'], member: true,
      run: (s) => (s.channel as Channel).updateFriendlyName('renamed'),
      tookEffect: async (s) => (await svc().channels(s.channelSid).fetch()).friendlyName === 'renamed',
    },
    {
      name: 'edit channel attributes', needs: ['editChannelAttributes'], member: true,
      run: (s) => (s.channel as Channel).updateAttributes({ edited: true }),
      tookEffect: async (s) => JSON.parse((await svc().channels(s.channelSid).fetch()).attributes).edited === true,
    },
    {
      name: 'add a member', needs: ['addMember'], member: true,
      run: (s) => (s.channel as Channel).add('newcomer'),
      tookEffect: (s) => exists(svc().channels(s.channelSid).members('newcomer').fetch()),
    },
    {
      name: 'invite a member', needs: ['inviteMember'], member: true,
      run: (s) => (s.channel as Channel).invite('guest'),
      tookEffect: async (s) => (await svc().channels(s.channelSid).invites.list()).some((i) => i.identity === 'guest'),
    },
    {
      name: 'remove another member', needs: ['removeMember'], member: true,
      run: (s) => (s.channel as Channel).removeMember('victim'),
      tookEffect: async (s) => !(await exists(svc().channels(s.channelSid).members('victim').fetch())),
    },
    {
      name: 'leave the channel', needs: ['leaveChannel'], member: true,
      run: (s) => (s.channel as Channel).leave(),
      tookEffect: async (s) => !(await exists(svc().channels(s.channelSid).members(s.actor.user.identity).fetch())),
    },
    {
      name: 'send a message', needs: ['sendMessage'], member: true,
      run: (s) => (s.channel as Channel).sendMessage('sent by sdk'),
      tookEffect: async (s) => (await svc().channels(s.channelSid).messages.list()).some((m) => m.body === 'sent by sdk'),
    },
    {
      name: 'edit own message', needs: ['editOwnMessage', 'editAnyMessage'], member: true,
      run: (s) => (s.own as Message).updateBody('own edited'),
      tookEffect: async (s) => (await messageBody(s.channelSid, (s.own as Message).sid)) === 'own edited',
    },
    {
      name: "edit another's message", needs: ['editAnyMessage'], member: true,
      run: (s) => (s.theirs as Message).updateBody('theirs edited'),
      tookEffect: async (s) => (await messageBody(s.channelSid, (s.theirs as Message).sid)) === 'theirs edited',
    },
    {
      name: 'edit own message attributes', needs: ['editOwnMessageAttributes', 'editAnyMessageAttributes'], member: true,
      run: (s) => (s.own as Message).updateAttributes({ edited: true }),
      tookEffect: async (s) => JSON.parse((await svc().channels(s.channelSid).messages((s.own as Message).sid).fetch()).attributes).edited === true,
    },
    {
      name: "edit another's message attributes", needs: ['editAnyMessageAttributes'], member: true,
      run: (s) => (s.theirs as Message).updateAttributes({ edited: true }),
      tookEffect: async (s) => JSON.parse((await svc().channels(s.channelSid).messages((s.theirs as Message).sid).fetch()).attributes).edited === true,
    },
    {
      name: 'delete own message', needs: ['deleteOwnMessage', 'deleteAnyMessage'], member: true,
      run: (s) => (s.own as Message).remove(),
      tookEffect: async (s) => !(await exists(svc().channels(s.channelSid).messages((s.own as Message).sid).fetch())),
    },
    {
      name: "delete another's message", needs: ['deleteAnyMessage'], member: true,
      run: (s) => (s.theirs as Message).remove(),
      tookEffect: async (s) => !(await exists(svc().channels(s.channelSid).messages((s.theirs as Message).sid).fetch())),
    },
    {
      name: 'edit own user info', needs: ['editOwnUserInfo', 'editAnyUserInfo'], member: false,
      run: (s) => s.actor.user.updateFriendlyName(`renamed ${s.channelSid.slice(-6)}`),
      tookEffect: async (s) => (await svc().users(s.actor.user.identity).fetch()).friendlyName === `renamed ${s.channelSid.slice(-6)}`,
    },
  ];

  const cases = COMBOS.flatMap(([serviceRole, channelRole]) =>
    ACTIONS.map((action) => {
      const granted = new Set([...(ROLE_PERMISSIONS[serviceRole] ?? []), ...(action.member ? (ROLE_PERMISSIONS[channelRole] ?? []) : [])]);
      const allowed = action.needs.some((p) => granted.has(p));
      return { serviceRole, channelRole, action, allowed };
    }),
  );

  let counter = 0;
  it.each(cases.map((c) => [`${c.serviceRole} + ${c.channelRole}`, c.action.name, c.allowed ? 'allowed' : 'refused 50107', c] as const))(
    '%s: %s → %s',
    async (_roles, _action, _expected, { serviceRole, channelRole, action, allowed }) => {
      const identity = `actor-${++counter}`;
      await svc().users.create({ identity, roleSid: roles[serviceRole] });
      const channel = await svc().channels.create({ friendlyName: `scene ${counter}`, uniqueName: `scene-${counter}` });
      const ch = svc().channels(channel.sid);
      if (action.member) await ch.members.create({ identity, roleSid: roles[channelRole] });
      await ch.members.create({ identity: 'victim', roleSid: roles['channel user'] });
      const ownRest = await ch.messages.create({ body: 'mine', from: identity });
      const theirsRest = await ch.messages.create({ body: 'theirs', from: 'victim' });

      const token = new twilio.jwt.AccessToken(stack.accountSid, chat.keySid, chat.keySecret, { identity, ttl: 3600 });
      token.addGrant(new twilio.jwt.AccessToken.ChatGrant({ serviceSid: chat.serviceSid }));
      const actor = await Client.create(token.toJwt(), { url: stack.get('realtime-gateway').url, commandTimeout: 5_000 });
      clients.push(actor);
      const scene: Scene = { actor, channel: null, channelSid: channel.sid, own: null, theirs: null };
      if (action.member) {
        scene.channel = await waitFor(() => actor.getChannelBySid(channel.sid), { description: 'the scene channel' });
        const page = await scene.channel.getMessages(10);
        scene.own = page.items.find((m) => m.sid === ownRest.sid) ?? null;
        scene.theirs = page.items.find((m) => m.sid === theirsRest.sid) ?? null;
      }

      const outcome = await action.run(scene).then(
        () => 'allowed',
        (err: unknown) => (err instanceof SDKError ? `refused ${err.code}/${err.status}` : `failed: ${String(err)}`),
      );
      const effect = await action.tookEffect(scene, chat);
      await actor.shutdown();
      expect({ outcome, effect }).toEqual(allowed ? { outcome: 'allowed', effect: true } : { outcome: 'refused 50107/403', effect: false });
    },
  );
});
