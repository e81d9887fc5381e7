import { z } from 'zod';
import { pageParamsShape } from '../form';
import { sidSchema } from '../sid';
import { channelResourceSchema, SESSION_CHANNELS_MAX } from './channel';
import { userResourceSchema } from './user';

export const authenticateRequestSchema = z.object({
  username: z.string().max(64),
  password: z.string().max(256),
});

/** Who a set of Basic credentials belongs to. */
export const principalSchema = z.object({
  accountSid: z.string(),
  via: z.enum(['auth_token', 'api_key']),
});
export type Principal = z.infer<typeof principalSchema>;

/*
 * Accounts and subaccounts (Twilio REST API 2010-04-01). That API renders dates in RFC 2822
 * (`Tue, 24 Nov 2026 07:00:00 +0000`) and its `uri`s relative to the API root, unlike Chat v2.
 */

/** `Tue, 24 Nov 2026 07:00:00 +0000`: what twilio-node's `deserialize.rfc2822DateTime` reads. */
export function rfc2822Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

export const ACCOUNT_STATUSES = ['active', 'suspended', 'closed'] as const;
export type AccountStatusValue = (typeof ACCOUNT_STATUSES)[number];

/** `api.v2010.account` between services: Twilio's fields without `uri`/`subresource_uris` (the edge adds them). */
export const accountResourceSchema = z.object({
  /** The account's auth token (opened from its sealed copy), for its owner; null when it cannot be opened. */
  auth_token: z.string().nullable(),
  date_created: z.string(),
  date_updated: z.string(),
  friendly_name: z.string(),
  /** The parent of a subaccount; a main account's is its own sid (Twilio). */
  owner_account_sid: z.string(),
  sid: z.string(),
  status: z.enum(ACCOUNT_STATUSES),
  type: z.enum(['Trial', 'Full']),
});
export type AccountResource = z.infer<typeof accountResourceSchema>;

/** Twilio: "A human readable description of this account, up to 64 characters long". */
const accountFriendlyName = z.string().min(1).max(64);

export const createAccountParamsSchema = z.object({
  FriendlyName: accountFriendlyName.optional(),
});

export const accountSidParamsSchema = z.object({ Sid: sidSchema('AC') });

export const updateAccountParamsSchema = z.object({
  Sid: sidSchema('AC'),
  FriendlyName: accountFriendlyName.optional(),
  Status: z.enum(ACCOUNT_STATUSES).optional(),
});
export type UpdateAccountParams = z.infer<typeof updateAccountParamsSchema>;

export const listAccountsParamsSchema = z.object({
  ...pageParamsShape,
  FriendlyName: z.string().max(64).optional(),
  Status: z.enum(ACCOUNT_STATUSES).optional(),
});

/**
 * An account's credentials changed (an API key was deleted, its status or auth token changed): every
 * api-gateway replica forgets the principals it cached for it. Published on `account.v1.evt.<AC>.credentials.changed`.
 */
export const credentialsChangedEventSchema = z.object({
  accountSid: sidSchema('AC'),
  reason: z.enum(['api-key-removed', 'status-changed', 'auth-token-changed']),
});
export type CredentialsChangedEvent = z.infer<typeof credentialsChangedEventSchema>;

/*
 * Session: what the realtime gateway asks when a client connects with an Access Token. The token is
 * verified inside message-service, so API key secrets never leave it.
 */

export const openSessionRequestSchema = z.object({
  token: z.string().min(1).max(8192),
  /**
   * Also answer the session's channels (`channels`, `invited`): what a connecting socket needs for its rooms and its
   * `session` event, in the same round trip. Left out by a token refresh, which needs only the verified session.
   */
  withChannels: z.boolean().optional(),
});

export const sessionSchema = z.object({
  accountSid: z.string(),
  serviceSid: z.string(),
  identity: z.string(),
  userSid: z.string(),
  /** The session's service role: the grant's `deployment_role_sid` when present, else the User's own role. */
  roleSid: z.string().nullable(),
  /** The token's `exp`, in seconds since the epoch: the gateway disconnects the socket then. */
  expiresAt: z.number().int(),
  reachabilityEnabled: z.boolean(),
  /** The User the session acts as (`chat.v2.service.user` without `url`/`links`). */
  user: userResourceSchema,
  /** With `withChannels`: every channel the identity is a member of (`membership.status` = `joined`), by sid. */
  channels: z.array(channelResourceSchema).max(SESSION_CHANNELS_MAX).optional(),
  /** With `withChannels`: channels the identity is invited to and not a member of (`membership.status` = `invited`), by sid. */
  invited: z.array(channelResourceSchema).max(SESSION_CHANNELS_MAX).optional(),
});
export type Session = z.infer<typeof sessionSchema>;
