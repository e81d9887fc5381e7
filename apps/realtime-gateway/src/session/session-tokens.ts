import { Inject, Injectable } from '@nestjs/common';
import type { Socket } from 'socket.io';
import { ErrorCode, ParleyError } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { REALTIME_CONFIG } from '../config/realtime-config.module';
import type { RealtimeConfig } from '../config/realtime.config';
import { tokenSchedule } from '../tokens/token-schedule';
import type { SocketSession } from './socket-session';


/**
 * The token lifecycle of each socket: `tokenAboutToExpire` before expiry, `tokenExpired` and a
 * disconnect at expiry, and `token.update` swapping in a fresh token for the same identity.
 */
@Injectable()
export class SessionTokens {
  /** One timer per socket: armed for the warning, then re-armed for the expiry. */
  private readonly timers = new WeakMap<Socket, NodeJS.Timeout>();

  constructor(
    private readonly nats: NatsTransport,
    @Inject(REALTIME_CONFIG) private readonly config: RealtimeConfig,
  ) {}

  schedule(socket: Socket, session: SocketSession): void {
    this.clear(socket);
    const { warnInMs, expireInMs } = tokenSchedule(session.expiresAt, Date.now(), this.config.TOKEN_EXPIRY_WARNING_SECONDS);
    const scheduledAt = Date.now();
    this.timers.set(
      socket,
      setTimeout(() => {
        socket.emit('tokenAboutToExpire', { expiresAt: session.expiresAt, ttl: Math.max(0, session.expiresAt - Math.floor(Date.now() / 1000)) });
        const remaining = Math.max(0, expireInMs - (Date.now() - scheduledAt));
        this.timers.set(
          socket,
          setTimeout(() => {
            socket.emit('tokenExpired', { expiresAt: session.expiresAt });
            socket.disconnect(true);
          }, remaining),
        );
      }, warnInMs),
    );
  }

  clear(socket: Socket): void {
    const timer = this.timers.get(socket);
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(socket);
  }

  /** Verifies the new token like a handshake; it must name the same identity and service. */
  async update(socket: Socket, session: SocketSession, token: string): Promise<{ expiresAt: number }> {
    const fresh = await this.nats.request('chat.v1.cmd.session.open', { token });
    if (fresh.identity !== session.identity || fresh.serviceSid !== session.serviceSid || fresh.accountSid !== session.accountSid) {
      throw new ParleyError(ErrorCode.InvalidAccessTokenGrants, 'The new token must be for the same identity and service', 401);
    }
    session.expiresAt = fresh.expiresAt;
    this.schedule(socket, session);
    return { expiresAt: fresh.expiresAt };
  }
}
