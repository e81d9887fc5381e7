import jwt from 'jsonwebtoken';
import { io } from 'socket.io-client';

/** What a Socket.IO handshake with this token came to: a session, or the Twilio code of the refusal. */
export async function handshake(url: string, token: unknown): Promise<{ session: true } | { code: number; status: number; message: string }> {
  const socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true, timeout: 10_000 });
  try {
    return await new Promise((resolve, reject) => {
      socket.once('session', () => resolve({ session: true }));
      socket.once('connect_error', (err: Error & { data?: { code: number; status: number; message: string } }) => {
        if (err.data) resolve(err.data);
        else reject(err);
      });
      setTimeout(() => reject(new Error('no answer to the handshake within 10 s')), 10_000).unref();
    });
  } finally {
    socket.disconnect();
  }
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface ClaimsOptions {
  keySid: string;
  accountSid: string;
  serviceSid: string;
  identity?: string | null;
  iat?: number;
  exp?: number;
  nbf?: number;
  chat?: Record<string, unknown> | null;
}

/** Twilio's Access Token payload (access-token.md §1), with any part left out or bent. */
export function claims(o: ClaimsOptions): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const grants: Record<string, unknown> = {};
  if (o.identity !== null) grants.identity = o.identity ?? 'alice';
  if (o.chat !== null) grants.chat = o.chat ?? { service_sid: o.serviceSid };
  const payload: Record<string, unknown> = {
    jti: `${o.keySid}-${now}`,
    grants,
    iat: o.iat ?? now,
    exp: o.exp ?? now + 3600,
    iss: o.keySid,
    sub: o.accountSid,
  };
  if (o.nbf !== undefined) payload.nbf = o.nbf;
  return payload;
}

export const TWILIO_HEADER = { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' };

/** Signs a payload as Twilio's helper would (HS256, Twilio header) with the secret given. */
export function sign(payload: Record<string, unknown>, secret: string, header: Record<string, unknown> = TWILIO_HEADER): string {
  return jwt.sign(payload, secret, { algorithm: 'HS256', header: header as unknown as jwt.JwtHeader, noTimestamp: true });
}

/** An unsigned token (`alg: none`), as an attacker would forge one. */
export function unsigned(payload: Record<string, unknown>): string {
  return `${b64url({ alg: 'none', typ: 'JWT', cty: 'twilio-fpa;v=1' })}.${b64url(payload)}.`;
}

/** The same token with its payload swapped and its original signature kept. */
export function tamper(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(decoded);
  return `${header}.${b64url(decoded)}.${signature}`;
}
