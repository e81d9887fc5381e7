import type { Caller } from '@parley/contracts';
import { currentCorrelationId, newCorrelationId } from '@parley/nats';

/** What a socket is, once its Access Token verified: kept in `socket.data.session`. */
export interface SocketSession {
  accountSid: string;
  serviceSid: string;
  identity: string;
  userSid: string;
  /** Token expiry, epoch seconds. */
  expiresAt: number;
  reachabilityEnabled: boolean;
  /** The session's service role: the token's deployment_role_sid override, else the User's role. */
  roleSid: string | null;
}

export function sessionOf(socket: { data: unknown }): SocketSession {
  return (socket.data as { session: SocketSession }).session;
}

/** The caller envelope of every NATS command sent on behalf of this socket's user. */
export function callerOf(session: SocketSession): Caller {
  return {
    accountSid: session.accountSid,
    serviceSid: session.serviceSid,
    actor: { kind: 'user', identity: session.identity, ...(session.roleSid ? { roleSid: session.roleSid } : {}) },
    requestId: currentCorrelationId() ?? newCorrelationId(),
  };
}
