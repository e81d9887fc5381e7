import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import { ErrorCode, Errors, ParleyError, rooms, type Session } from '@parley/contracts';
import { NatsTransport, newCorrelationId, withCorrelation } from '@parley/nats';
import { ROOT_LOGGER } from '@parley/platform';
import { CommandRouter } from '../commands/command-router';
import { PresenceReporter } from '../presence/presence-reporter';
import { SocketServer } from '../socket/socket-server';
import { HandshakeGate } from './handshake-gate';
import { SessionTokens } from './session-tokens';
import { sessionOf, type SocketSession } from './socket-session';

/**
 * Handshakes this gateway verifies at a time (handshake-gate.ts). Enough to keep message-service's replicas and their
 * database pools busy; a reconnect storm waits its turn here, first come first served.
 */
const HANDSHAKES_IN_FLIGHT = 32;

/** An error Socket.IO sends to the client as `connect_error`, with the Twilio code in `data`. */
function handshakeError(err: ParleyError): Error & { data: unknown } {
  return Object.assign(new Error(err.message), { data: err.toBody() });
}

/**
 * A socket's life: the Access Token verified in the handshake (by message-service, where the key
 * secrets are), the User found or created, the socket placed in its rooms (its user, its service, every
 * channel it is a member of), its commands routed, and its token watched.
 */
@Injectable()
export class SessionLifecycle {
  private readonly gate = new HandshakeGate(HANDSHAKES_IN_FLIGHT);

  constructor(
    private readonly sockets: SocketServer,
    private readonly nats: NatsTransport,
    private readonly router: CommandRouter,
    private readonly tokens: SessionTokens,
    private readonly presence: PresenceReporter,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  start(): void {
    const io = this.sockets.io;
    io.use((socket, next) => {
      void this.authenticate(socket).then(
        () => next(),
        (err: unknown) => next(handshakeError(err instanceof ParleyError ? err : Errors.internal())),
      );
    });
    io.on('connection', (socket) => {
      // Synchronously, so a socket cannot disconnect before presence hears of it.
      const session = sessionOf(socket);
      this.presence.connected(session, socket.id);
      socket.once('disconnect', () => this.presence.disconnected(session, socket.id));
      void this.welcome(socket).catch((err: unknown) => {
        this.logger.warn({ err, socket: socket.id }, 'could not set up a socket; disconnecting it');
        socket.disconnect(true);
      });
    });
  }

  private async authenticate(socket: Socket): Promise<void> {
    const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0) throw new ParleyError(ErrorCode.InvalidAccessToken, 'Access Token required in auth.token', 401);
    // One round trip: the verified session, its User and its channels (for the rooms and the `session` event).
    const opened = await this.gate.run(
      () => withCorrelation(newCorrelationId(), () => this.nats.request('chat.v1.cmd.session.open', { token, withChannels: true })),
      // A client that went away while its handshake waited costs no verification.
      () => socket.conn.readyState === 'open',
      () => new ParleyError(ErrorCode.ServiceUnavailable, 'The connection closed during the handshake', 503),
    );
    const session: SocketSession = {
      accountSid: opened.accountSid,
      serviceSid: opened.serviceSid,
      identity: opened.identity,
      userSid: opened.userSid,
      expiresAt: opened.expiresAt,
      reachabilityEnabled: opened.reachabilityEnabled,
      // Only a token's deployment_role_sid override travels with the session; otherwise message-service reads the
      // User's stored role on each command, so a role changed over REST applies without a reconnect.
      roleSid: opened.roleSid !== opened.user.role_sid ? opened.roleSid : null,
    };
    const data = socket.data as { session: SocketSession; welcome?: Welcome };
    data.session = session;
    // Kept only until the `session` event is sent: an idle socket holds no copy of its User or its channels.
    data.welcome = { user: opened.user, channels: opened.channels ?? [], invited: opened.invited ?? [] };
  }

  private async welcome(socket: Socket): Promise<void> {
    const session = sessionOf(socket);
    const { serviceSid, identity } = session;
    const { user, channels, invited } = takeWelcome(socket);
    await socket.join([
      rooms.user(serviceSid, identity),
      rooms.service(serviceSid),
      ...channels.map((channel) => rooms.channel(serviceSid, channel.sid)),
    ]);
    if (socket.disconnected) return;
    this.router.attach(socket, session);
    this.tokens.schedule(socket, session);
    socket.on('disconnect', () => this.tokens.clear(socket));
    socket.emit('session', {
      accountSid: session.accountSid,
      serviceSid,
      identity,
      expiresAt: session.expiresAt,
      reachabilityEnabled: session.reachabilityEnabled,
      user,
      channels,
      invitedChannels: invited,
    });
  }
}

/** What the `session` event carries besides the session itself, from `session.open`'s reply. */
interface Welcome {
  user: Session['user'];
  channels: NonNullable<Session['channels']>;
  invited: NonNullable<Session['invited']>;
}

function takeWelcome(socket: Socket): Welcome {
  const data = socket.data as { welcome?: Welcome };
  const welcome = data.welcome;
  delete data.welcome;
  if (!welcome) throw new Error('socket accepted without a session');
  return welcome;
}
