import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type twilio from 'twilio';
import { NatsTransport } from '@parley/nats';
import { NATS_URL, twilioClient, type Stack } from '@parley/testing';

/** One of every resource kind of one account, made through the official helper (bindings as the gateway makes them). */
export interface Tenant {
  accountSid: string;
  authToken: string;
  rest: twilio.Twilio;
  keySid: string;
  keySecret: string;
  serviceSid: string;
  roleSid: string;
  /** The service's default roles by friendly name ("service admin", "service user", "channel admin", "channel user"). */
  defaultRoles: Record<string, string>;
  userSid: string;
  otherUserSid: string;
  channelSid: string;
  privateChannelSid: string;
  memberSid: string;
  messageSid: string;
  inviteSid: string;
  webhookSid: string;
  credentialSid: string;
  bindingSid: string;
}

/** A subaccount of the stack's account (`POST /2010-04-01/Accounts.json`), with its own credentials. */
export async function createSubaccount(stack: Stack, friendlyName: string): Promise<{ accountSid: string; authToken: string }> {
  const parent = twilioClient(stack.get('api-gateway').url, stack.accountSid, stack.authToken);
  const sub = await parent.api.v2010.accounts.create({ friendlyName });
  return { accountSid: sub.sid, authToken: sub.authToken };
}

export async function seedTenant(stack: Stack, accountSid: string, authToken: string, label: string): Promise<Tenant> {
  const rest = twilioClient(stack.get('api-gateway').url, accountSid, authToken);
  const key = await rest.newKeys.create({ friendlyName: `${label} key` });
  const service = await rest.chat.v2.services.create({ friendlyName: `${label} service` });
  const svc = rest.chat.v2.services(service.sid);
  const roles = await svc.roles.list();
  const defaultRoles = Object.fromEntries(roles.map((r) => [r.friendlyName, r.sid]));
  const role = await svc.roles.create({ friendlyName: `${label} role`, type: 'channel', permission: ['sendMessage'] });
  const alice = await svc.users.create({ identity: 'alice' });
  const bob = await svc.users.create({ identity: 'bob' });
  const channel = await svc.channels.create({ friendlyName: `${label} public`, uniqueName: `${label}-public` });
  const secret = await svc.channels.create({ friendlyName: `${label} private`, uniqueName: `${label}-private`, type: 'private' });
  const member = await svc.channels(channel.sid).members.create({ identity: 'alice' });
  await svc.channels(secret.sid).members.create({ identity: 'alice' });
  const message = await svc.channels(channel.sid).messages.create({ body: `${label} hello`, from: 'alice' });
  const invite = await svc.channels(channel.sid).invites.create({ identity: 'bob' });
  const webhook = await svc.channels(channel.sid).webhooks.create({ type: 'webhook', 'configuration.url': 'https://example.com/hook' });
  const credential = await rest.chat.v2.credentials.create({ type: 'fcm', secret: `${label}-fcm-secret` });

  const nats = new NatsTransport({ servers: NATS_URL, subjectPrefix: stack.natsSubjectPrefix, name: `seed-${label}`, logger: pino({ level: 'silent' }) });
  await nats.connect();
  let bindingSid: string;
  try {
    const binding = await nats.request('chat.v1.cmd.binding.register', {
      caller: { accountSid, serviceSid: service.sid, actor: { kind: 'user', identity: 'alice' }, requestId: randomBytes(4).toString('hex') },
      params: { ServiceSid: service.sid, BindingType: 'fcm', Endpoint: `${label}-phone`, CredentialSid: credential.sid },
    });
    bindingSid = (binding as { sid: string }).sid;
  } finally {
    await nats.drain();
  }

  return {
    accountSid,
    authToken,
    rest,
    keySid: key.sid,
    keySecret: key.secret,
    serviceSid: service.sid,
    roleSid: role.sid,
    defaultRoles,
    userSid: alice.sid,
    otherUserSid: bob.sid,
    channelSid: channel.sid,
    privateChannelSid: secret.sid,
    memberSid: member.sid,
    messageSid: message.sid,
    inviteSid: invite.sid,
    webhookSid: webhook.sid,
    credentialSid: credential.sid,
    bindingSid,
  };
}
