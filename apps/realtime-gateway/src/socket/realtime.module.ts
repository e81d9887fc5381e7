import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ChatCommands } from '../commands/chat-commands';
import { CommandRouter } from '../commands/command-router';
import { EventFanout } from '../fanout/event-fanout';
import { SessionLifecycle } from '../session/session-lifecycle';
import { SessionTokens } from '../session/session-tokens';
import { PresenceFanout } from '../presence/presence-fanout';
import { PresenceReporter } from '../presence/presence-reporter';
import { SocketServer } from './socket-server';

@Module({
  providers: [SocketServer, CommandRouter, ChatCommands, SessionTokens, SessionLifecycle, EventFanout, PresenceReporter, PresenceFanout],
})
export class RealtimeModule implements OnApplicationBootstrap {
  constructor(
    private readonly sockets: SocketServer,
    private readonly sessions: SessionLifecycle,
    private readonly fanout: EventFanout,
  ) {}

  /** The adapter connects to Redis before the HTTP server listens, so no socket arrives before fan-out works. */
  async onApplicationBootstrap(): Promise<void> {
    await this.sockets.start();
    this.sessions.start();
    this.fanout.start();
  }
}
