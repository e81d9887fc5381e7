import { z } from 'zod';
import { callerSchema } from './envelope';
import { pageParamsSchema, pageResultSchema } from './paging';
import {
  accountResourceSchema,
  accountSidParamsSchema,
  authenticateRequestSchema,
  createAccountParamsSchema,
  listAccountsParamsSchema,
  openSessionRequestSchema,
  principalSchema,
  sessionSchema,
  updateAccountParamsSchema,
} from './resources/account';
import {
  apiKeyResourceSchema,
  apiKeySidParamsSchema,
  createApiKeyParamsSchema,
  listApiKeysParamsSchema,
  newApiKeyResourceSchema,
  updateApiKeyParamsSchema,
} from './resources/api-key';
import {
  serviceConfigurationParamsSchema,
  serviceConfigurationResourceSchema,
  updateServiceConfigurationParamsSchema,
} from './resources/configuration';
import {
  channelKeyParamsSchema,
  channelResourceSchema,
  createChannelParamsSchema,
  listChannelParamsSchema,
  listSubscribedChannelsParamsSchema,
  sessionChannelsParamsSchema,
  sessionChannelsSchema,
  updateChannelParamsSchema,
} from './resources/channel';
import {
  channelWebhookResourceSchema,
  channelWebhookSidParamsSchema,
  createChannelWebhookParamsSchema,
  listChannelWebhookParamsSchema,
  updateChannelWebhookParamsSchema,
} from './resources/channel-webhook';
import { createInviteParamsSchema, inviteResourceSchema, inviteSidParamsSchema, listInviteParamsSchema } from './resources/invite';
import {
  channelMembershipParamsSchema,
  consumeParamsSchema,
  consumeReplySchema,
  createMemberParamsSchema,
  listMemberParamsSchema,
  memberKeyParamsSchema,
  memberResourceSchema,
  updateMemberParamsSchema,
} from './resources/member';
import {
  listForIdentityParamsSchema,
  listForIdentityReplySchema,
  listUserChannelParamsSchema,
  updateUserChannelParamsSchema,
  userChannelKeyParamsSchema,
  userChannelResourceSchema,
} from './resources/user-channel';
import {
  createMessageParamsSchema,
  listMessagesAfterParamsSchema,
  listMessagesParamsSchema,
  messagePageParamsSchema,
  messagePageSchema,
  messageResourceSchema,
  messagesAfterSchema,
  messageSidParamsSchema,
  updateMessageParamsSchema,
} from './resources/message';
import {
  createServiceParamsSchema,
  serviceResourceSchema,
  serviceSidParamsSchema,
  updateServiceParamsSchema,
} from './resources/service';
import {
  createRoleParamsSchema,
  listRoleParamsSchema,
  roleResourceSchema,
  roleSidParamsSchema,
  updateRoleParamsSchema,
} from './resources/role';
import {
  createUserParamsSchema,
  listUserParamsSchema,
  updateUserParamsSchema,
  userKeyParamsSchema,
  userResourceSchema,
} from './resources/user';
import {
  bindingResourceSchema,
  bindingSidParamsSchema,
  listBindingParamsSchema,
  listUserBindingParamsSchema,
  registerBindingParamsSchema,
  unregisterBindingParamsSchema,
  unregisterBindingReplySchema,
  userBindingSidParamsSchema,
} from './resources/binding';
import {
  createCredentialParamsSchema,
  credentialResourceSchema,
  credentialSidParamsSchema,
  listCredentialParamsSchema,
  updateCredentialParamsSchema,
} from './resources/credential';
import {
  connectionCloseSchema,
  connectionOpenSchema,
  nodeDrainReplySchema,
  nodeDrainSchema,
  nodeHeartbeatReplySchema,
  nodeHeartbeatSchema,
  nodeReplySchema,
  nodeSyncSchema,
  userReachabilityQuerySchema,
  userReachabilityReplySchema,
} from './resources/presence';

/** A command carries the caller envelope and its parameters. */
const withCaller = <P extends z.ZodType>(params: P) => z.object({ caller: callerSchema, params });

const command = <Req extends z.ZodType, Rep extends z.ZodType>(request: Req, reply: Rep) => ({ request, reply });

const empty = z.object({});

/**
 * Every request/reply subject between services and the shape of both halves.
 * Names are versioned (`chat.v1`); a published shape is never changed in place.
 */
export const commands = {
  'chat.v1.cmd.account.authenticate': command(authenticateRequestSchema, principalSchema),
  // Realtime handshake: verifies an Access Token (secrets stay here) and finds or creates its User.
  'chat.v1.cmd.session.open': command(openSessionRequestSchema, sessionSchema),
  // Accounts and subaccounts (REST 2010-04-01): the caller sees itself and its subaccounts.
  'chat.v1.cmd.account.create': command(withCaller(createAccountParamsSchema), accountResourceSchema),
  'chat.v1.cmd.account.fetch': command(withCaller(accountSidParamsSchema), accountResourceSchema),
  'chat.v1.cmd.account.update': command(withCaller(updateAccountParamsSchema), accountResourceSchema),
  'chat.v1.cmd.account.list': command(withCaller(listAccountsParamsSchema), pageResultSchema(accountResourceSchema)),
  // API keys (REST 2010-04-01) of the caller's account or one of its subaccounts.
  'chat.v1.cmd.api-key.create': command(withCaller(createApiKeyParamsSchema), newApiKeyResourceSchema),
  'chat.v1.cmd.api-key.fetch': command(withCaller(apiKeySidParamsSchema), apiKeyResourceSchema),
  'chat.v1.cmd.api-key.update': command(withCaller(updateApiKeyParamsSchema), apiKeyResourceSchema),
  'chat.v1.cmd.api-key.delete': command(withCaller(apiKeySidParamsSchema), empty),
  'chat.v1.cmd.api-key.list': command(withCaller(listApiKeysParamsSchema), pageResultSchema(apiKeyResourceSchema)),
  // Conversations-style view of a Chat Service's default roles and reachability.
  'chat.v1.cmd.service-configuration.fetch': command(withCaller(serviceConfigurationParamsSchema), serviceConfigurationResourceSchema),
  'chat.v1.cmd.service-configuration.update': command(
    withCaller(updateServiceConfigurationParamsSchema),
    serviceConfigurationResourceSchema,
  ),

  'chat.v1.cmd.service.create': command(withCaller(createServiceParamsSchema), serviceResourceSchema),
  'chat.v1.cmd.service.fetch': command(withCaller(serviceSidParamsSchema), serviceResourceSchema),
  'chat.v1.cmd.service.update': command(withCaller(updateServiceParamsSchema), serviceResourceSchema),
  'chat.v1.cmd.service.delete': command(withCaller(serviceSidParamsSchema), empty),
  'chat.v1.cmd.service.list': command(withCaller(pageParamsSchema), pageResultSchema(serviceResourceSchema)),

  'chat.v1.cmd.role.create': command(withCaller(createRoleParamsSchema), roleResourceSchema),
  'chat.v1.cmd.role.fetch': command(withCaller(roleSidParamsSchema), roleResourceSchema),
  'chat.v1.cmd.role.update': command(withCaller(updateRoleParamsSchema), roleResourceSchema),
  'chat.v1.cmd.role.delete': command(withCaller(roleSidParamsSchema), empty),
  'chat.v1.cmd.role.list': command(withCaller(listRoleParamsSchema), pageResultSchema(roleResourceSchema)),

  'chat.v1.cmd.user.create': command(withCaller(createUserParamsSchema), userResourceSchema),
  'chat.v1.cmd.user.fetch': command(withCaller(userKeyParamsSchema), userResourceSchema),
  'chat.v1.cmd.user.update': command(withCaller(updateUserParamsSchema), userResourceSchema),
  'chat.v1.cmd.user.delete': command(withCaller(userKeyParamsSchema), empty),
  'chat.v1.cmd.user.list': command(withCaller(listUserParamsSchema), pageResultSchema(userResourceSchema)),

  'chat.v1.cmd.binding.list': command(withCaller(listBindingParamsSchema), pageResultSchema(bindingResourceSchema)),
  'chat.v1.cmd.binding.fetch': command(withCaller(bindingSidParamsSchema), bindingResourceSchema),
  'chat.v1.cmd.binding.delete': command(withCaller(bindingSidParamsSchema), empty),
  // SDK push registration (no REST create): upsert per (service, endpoint, binding type) / removal.
  'chat.v1.cmd.binding.register': command(withCaller(registerBindingParamsSchema), bindingResourceSchema),
  'chat.v1.cmd.binding.unregister': command(withCaller(unregisterBindingParamsSchema), unregisterBindingReplySchema),
  'chat.v1.cmd.user-binding.list': command(withCaller(listUserBindingParamsSchema), pageResultSchema(bindingResourceSchema)),
  'chat.v1.cmd.user-binding.fetch': command(withCaller(userBindingSidParamsSchema), bindingResourceSchema),
  'chat.v1.cmd.user-binding.delete': command(withCaller(userBindingSidParamsSchema), empty),

  'chat.v1.cmd.credential.create': command(withCaller(createCredentialParamsSchema), credentialResourceSchema),
  'chat.v1.cmd.credential.fetch': command(withCaller(credentialSidParamsSchema), credentialResourceSchema),
  'chat.v1.cmd.credential.update': command(withCaller(updateCredentialParamsSchema), credentialResourceSchema),
  'chat.v1.cmd.credential.delete': command(withCaller(credentialSidParamsSchema), empty),
  'chat.v1.cmd.credential.list': command(withCaller(listCredentialParamsSchema), pageResultSchema(credentialResourceSchema)),

  'chat.v1.cmd.channel.create': command(withCaller(createChannelParamsSchema), channelResourceSchema),
  'chat.v1.cmd.channel.fetch': command(withCaller(channelKeyParamsSchema), channelResourceSchema),
  'chat.v1.cmd.channel.update': command(withCaller(updateChannelParamsSchema), channelResourceSchema),
  'chat.v1.cmd.channel.delete': command(withCaller(channelKeyParamsSchema), empty),
  'chat.v1.cmd.channel.list': command(withCaller(listChannelParamsSchema), pageResultSchema(channelResourceSchema)),
  // SDK: the actor joins a public channel (or one it is invited to) / leaves one.
  'chat.v1.cmd.channel.join': command(withCaller(channelMembershipParamsSchema), memberResourceSchema),
  'chat.v1.cmd.channel.leave': command(withCaller(channelMembershipParamsSchema), empty),
  // SDK: the channels the actor joined or is invited to, with its membership (getSubscribedChannels).
  'chat.v1.cmd.channel.list-subscribed': command(
    withCaller(listSubscribedChannelsParamsSchema),
    pageResultSchema(channelResourceSchema),
  ),
  // SDK, at connect: every joined channel and every pending invite of the actor, with its membership.
  'chat.v1.cmd.session.channels': command(withCaller(sessionChannelsParamsSchema), sessionChannelsSchema),

  'chat.v1.cmd.member.create': command(withCaller(createMemberParamsSchema), memberResourceSchema),
  'chat.v1.cmd.member.fetch': command(withCaller(memberKeyParamsSchema), memberResourceSchema),
  'chat.v1.cmd.member.update': command(withCaller(updateMemberParamsSchema), memberResourceSchema),
  'chat.v1.cmd.member.delete': command(withCaller(memberKeyParamsSchema), empty),
  'chat.v1.cmd.member.list': command(withCaller(listMemberParamsSchema), pageResultSchema(memberResourceSchema)),
  // SDK: consumption horizon (index | null | 'all').
  'chat.v1.cmd.member.consume': command(withCaller(consumeParamsSchema), consumeReplySchema),

  'chat.v1.cmd.invite.create': command(withCaller(createInviteParamsSchema), inviteResourceSchema),
  'chat.v1.cmd.invite.fetch': command(withCaller(inviteSidParamsSchema), inviteResourceSchema),
  'chat.v1.cmd.invite.delete': command(withCaller(inviteSidParamsSchema), empty),
  'chat.v1.cmd.invite.list': command(withCaller(listInviteParamsSchema), pageResultSchema(inviteResourceSchema)),
  // SDK: the actor declines its invite to a channel.
  'chat.v1.cmd.invite.decline': command(withCaller(channelMembershipParamsSchema), empty),

  'chat.v1.cmd.user-channel.list': command(withCaller(listUserChannelParamsSchema), pageResultSchema(userChannelResourceSchema)),
  'chat.v1.cmd.user-channel.fetch': command(withCaller(userChannelKeyParamsSchema), userChannelResourceSchema),
  'chat.v1.cmd.user-channel.update': command(withCaller(updateUserChannelParamsSchema), userChannelResourceSchema),
  'chat.v1.cmd.user-channel.delete': command(withCaller(userChannelKeyParamsSchema), empty),
  // SDK, at connect: the channels whose socket rooms an identity joins.
  'chat.v1.cmd.user-channel.list-for-identity': command(withCaller(listForIdentityParamsSchema), listForIdentityReplySchema),

  'chat.v1.cmd.channel-webhook.create': command(withCaller(createChannelWebhookParamsSchema), channelWebhookResourceSchema),
  'chat.v1.cmd.channel-webhook.fetch': command(withCaller(channelWebhookSidParamsSchema), channelWebhookResourceSchema),
  'chat.v1.cmd.channel-webhook.update': command(withCaller(updateChannelWebhookParamsSchema), channelWebhookResourceSchema),
  'chat.v1.cmd.channel-webhook.delete': command(withCaller(channelWebhookSidParamsSchema), empty),
  'chat.v1.cmd.channel-webhook.list': command(
    withCaller(listChannelWebhookParamsSchema),
    pageResultSchema(channelWebhookResourceSchema),
  ),

  'chat.v1.cmd.message.create': command(withCaller(createMessageParamsSchema), messageResourceSchema),
  'chat.v1.cmd.message.fetch': command(withCaller(messageSidParamsSchema), messageResourceSchema),
  'chat.v1.cmd.message.update': command(withCaller(updateMessageParamsSchema), messageResourceSchema),
  'chat.v1.cmd.message.delete': command(withCaller(messageSidParamsSchema), empty),
  'chat.v1.cmd.message.list': command(withCaller(listMessagesParamsSchema), pageResultSchema(messageResourceSchema)),
  'chat.v1.cmd.message.list-after': command(withCaller(listMessagesAfterParamsSchema), messagesAfterSchema),
  'chat.v1.cmd.message.page': command(withCaller(messagePageParamsSchema), messagePageSchema),

  // presence-service (served in its queue group 'presence-service'): connections and node liveness from the
  // realtime gateways; reachability for Fetch User / getUser (notifiability comes as the user.notifiable event).
  'presence.v1.cmd.connection.open': command(connectionOpenSchema, nodeReplySchema),
  'presence.v1.cmd.connection.close': command(connectionCloseSchema, nodeReplySchema),
  'presence.v1.cmd.node.heartbeat': command(nodeHeartbeatSchema, nodeHeartbeatReplySchema),
  'presence.v1.cmd.node.sync': command(nodeSyncSchema, nodeReplySchema),
  'presence.v1.cmd.node.drain': command(nodeDrainSchema, nodeDrainReplySchema),
  'presence.v1.cmd.user.reachability': command(userReachabilityQuerySchema, userReachabilityReplySchema),
} as const;

export type Commands = typeof commands;
export type CommandSubject = keyof Commands;
/** What a requester sends (form strings allowed where the schema coerces them). */
export type CommandRequest<S extends CommandSubject> = z.input<Commands[S]['request']>;
/** What a handler receives, validated and coerced. */
export type CommandInput<S extends CommandSubject> = z.output<Commands[S]['request']>;
export type CommandReply<S extends CommandSubject> = z.output<Commands[S]['reply']>;
export type CommandParams<S extends CommandSubject> = CommandInput<S> extends { params: infer P } ? P : never;

export function isCommandSubject(subject: string): subject is CommandSubject {
  return Object.prototype.hasOwnProperty.call(commands, subject);
}
