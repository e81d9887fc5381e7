import { createSecretKey } from 'node:crypto';
import jwt, { type Algorithm } from 'jsonwebtoken';
import { ErrorCode, ParleyError } from '@parley/contracts';

/** Twilio's Access Token content type (access-token.md). */
export const TWILIO_FPA_CTY = 'twilio-fpa;v=1';
export const ALLOWED_ALGORITHMS: Algorithm[] = ['HS256', 'HS384', 'HS512'];
/** Twilio refuses tokens that live longer than 24 hours. */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

export interface AccessTokenClaims {
  keySid: string;
  accountSid: string;
  identity: string;
  serviceSid: string;
  /** Optional service role override from the chat grant. */
  deploymentRoleSid?: string;
  endpointId?: string;
  issuedAt: number;
  expiresAt: number;
}

export interface SigningKey {
  accountSid: string;
  secret: string;
}

/** Looks up an API key by sid; null when it does not exist. */
export type KeyResolver = (keySid: string) => Promise<SigningKey | null>;

const tokenError = (code: number, message: string) => new ParleyError(code, message, 401);

interface RawPayload {
  iss?: unknown;
  sub?: unknown;
  exp?: unknown;
  nbf?: unknown;
  iat?: unknown;
  grants?: { identity?: unknown; chat?: { service_sid?: unknown; deployment_role_sid?: unknown; endpoint_id?: unknown } };
}

/**
 * Verifies a Twilio-format Access Token and returns its chat claims, or throws a ParleyError with the
 * Twilio code of the first thing wrong with it. The header is checked before any key lookup, and the
 * signature with the key named by `iss` before any claim is trusted.
 */
export async function verifyAccessToken(token: string, resolveKey: KeyResolver, nowSeconds = Math.floor(Date.now() / 1000)): Promise<AccessTokenClaims> {
  if (typeof token !== 'string' || token.length > 8192) throw tokenError(ErrorCode.InvalidAccessToken, 'Invalid Access Token');
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) {
    throw tokenError(ErrorCode.InvalidAccessToken, 'Invalid Access Token');
  }
  const header = decoded.header as { alg?: string; cty?: string; typ?: string };
  if (!header.alg || !ALLOWED_ALGORITHMS.includes(header.alg as Algorithm)) {
    throw tokenError(ErrorCode.InvalidAccessTokenHeader, `Invalid Access Token header: algorithm ${String(header.alg)} is not allowed`);
  }
  if (header.cty !== TWILIO_FPA_CTY) {
    throw tokenError(ErrorCode.InvalidAccessTokenHeader, `Invalid Access Token header: cty must be ${TWILIO_FPA_CTY}`);
  }
  const payload = decoded.payload as RawPayload;
  if (typeof payload.iss !== 'string' || !/^SK[0-9a-fA-F]{32}$/.test(payload.iss) || typeof payload.sub !== 'string') {
    throw tokenError(ErrorCode.InvalidAccessTokenIssuer, 'Invalid Access Token issuer/subject');
  }
  const key = await resolveKey(payload.iss);
  if (!key) throw tokenError(ErrorCode.InvalidAccessTokenIssuer, 'Invalid Access Token issuer/subject: unknown API key');
  if (key.accountSid !== payload.sub) {
    throw tokenError(ErrorCode.InvalidAccessTokenIssuer, 'Invalid Access Token issuer/subject: the key belongs to another account');
  }
  try {
    // Expiry is checked below with Twilio's codes; here only the signature and algorithm. The secret goes in as a
    // KeyObject: given a string, jsonwebtoken first tries (and fails, with a thrown error) to parse it as a PEM
    // public key on every call — ~10 % of message-service's CPU during a burst of connections.
    jwt.verify(token, createSecretKey(Buffer.from(key.secret, 'utf8')), { algorithms: ALLOWED_ALGORITHMS, ignoreExpiration: true, ignoreNotBefore: true });
  } catch {
    throw tokenError(ErrorCode.InvalidAccessTokenSignature, 'Invalid Access Token signature');
  }

  const exp = payload.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw tokenError(ErrorCode.AccessTokenExpired, 'Access Token expiration date invalid');
  if (exp <= nowSeconds) throw tokenError(ErrorCode.AccessTokenExpired, 'Access Token expired');
  const start = typeof payload.nbf === 'number' ? payload.nbf : typeof payload.iat === 'number' ? payload.iat : nowSeconds;
  if (exp - Math.min(start, nowSeconds) > MAX_TOKEN_LIFETIME_SECONDS) {
    throw tokenError(ErrorCode.AccessTokenExpired, 'Access Token lifetime exceeds 24 hours');
  }
  if (typeof payload.nbf === 'number' && payload.nbf > nowSeconds) {
    throw tokenError(ErrorCode.AccessTokenNotYetValid, 'Access Token not yet valid');
  }

  const grants = payload.grants;
  const identity = grants?.identity;
  const chat = grants?.chat;
  if (typeof identity !== 'string' || identity.length === 0 || identity.length > 256) {
    throw tokenError(ErrorCode.InvalidAccessTokenGrants, 'Invalid Access Token grants: identity is required');
  }
  if (!chat || typeof chat.service_sid !== 'string' || !/^IS[0-9a-fA-F]{32}$/.test(chat.service_sid)) {
    throw tokenError(ErrorCode.InvalidAccessTokenGrants, 'Invalid Access Token grants: a chat grant with service_sid is required');
  }
  return {
    keySid: payload.iss,
    accountSid: payload.sub,
    identity,
    serviceSid: chat.service_sid,
    deploymentRoleSid: typeof chat.deployment_role_sid === 'string' ? chat.deployment_role_sid : undefined,
    endpointId: typeof chat.endpoint_id === 'string' ? chat.endpoint_id : undefined,
    issuedAt: typeof payload.iat === 'number' ? payload.iat : nowSeconds,
    expiresAt: exp,
  };
}

export interface SignOptions {
  accountSid: string;
  keySid: string;
  secret: string;
  identity: string;
  serviceSid: string;
  ttlSeconds?: number;
  nbf?: number;
  algorithm?: Algorithm;
}

/** Mints a token in Twilio's format (for tools and tests; backends use the twilio helper). */
export function signAccessToken(options: SignOptions): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    jti: `${options.keySid}-${now}`,
    grants: { identity: options.identity, chat: { service_sid: options.serviceSid } },
  };
  if (options.nbf !== undefined) payload.nbf = options.nbf;
  return jwt.sign(payload, options.secret, {
    algorithm: options.algorithm ?? 'HS256',
    header: { alg: options.algorithm ?? 'HS256', typ: 'JWT', cty: TWILIO_FPA_CTY } as jwt.JwtHeader,
    issuer: options.keySid,
    subject: options.accountSid,
    expiresIn: options.ttlSeconds ?? 3600,
  });
}
