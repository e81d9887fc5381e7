/** What a socket is, once its Access Token verified: kept in `socket.data.session`. */
export interface SocketSession {
  accountSid: string;
  serviceSid: string;
  identity: string;
  userSid: string;
  /** Token expiry, epoch seconds. */
  expiresAt: number;
  reachabilityEnabled: boolean;
}

export function sessionOf(socket: { data: unknown }): SocketSession {
  return (socket.data as { session: SocketSession }).session;
}
