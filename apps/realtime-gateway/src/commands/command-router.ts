import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { BurstyRateLimiter, RateLimiterMemory } from 'rate-limiter-flexible';
import { Counter } from 'prom-client';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import {
  clientCommands,
  ErrorCode,
  Errors,
  isClientCommand,
  ParleyError,
  toParameterError,
  type ClientCommandName,
  type ClientCommands,
  type Reply,
} from '@parley/contracts';
import { newCorrelationId, withCorrelation } from '@parley/nats';
import { Metrics, ROOT_LOGGER } from '@parley/platform';
import { REALTIME_CONFIG } from '../config/realtime-config.module';
import type { RealtimeConfig } from '../config/realtime.config';
import type { SocketSession } from '../session/socket-session';

export type CommandHandler<C extends ClientCommandName> = (
  session: SocketSession,
  payload: z.output<ClientCommands[C]>,
  socket: Socket,
) => Promise<unknown>;

type Ack = (reply: Reply<unknown>) => void;

/** A socket that keeps sending this many times its allowance is abusing the protocol and is closed. */
const FLOOD_STRIKES = 100;

/**
 * Dispatches client commands: validates each payload against its contract, applies the per-socket
 * rate limit, runs the handler with a fresh correlation id and answers the ack with the reply envelope.
 * Bad input gets an error ack; only abuse closes the socket; no other socket notices.
 */
@Injectable()
export class CommandRouter {
  private readonly handlers = new Map<ClientCommandName, CommandHandler<ClientCommandName>>();
  private readonly limiter: BurstyRateLimiter;
  private readonly commands: Counter<'command' | 'outcome'>;

  constructor(
    @Inject(REALTIME_CONFIG) config: RealtimeConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    const perSecond = config.SOCKET_COMMANDS_PER_SECOND;
    this.limiter = new BurstyRateLimiter(
      new RateLimiterMemory({ points: perSecond, duration: 1 }),
      new RateLimiterMemory({ points: perSecond * 2, duration: 10, keyPrefix: 'burst' }),
    );
    this.commands = new Counter({
      name: 'parley_socket_commands_total',
      help: 'Client commands handled, by command and outcome',
      labelNames: ['command', 'outcome'],
      registers: [metrics.registry],
    });
  }

  register<C extends ClientCommandName>(name: C, handler: CommandHandler<C>): void {
    this.handlers.set(name, handler as unknown as CommandHandler<ClientCommandName>);
  }

  get registered(): ClientCommandName[] {
    return [...this.handlers.keys()];
  }

  attach(socket: Socket, session: SocketSession): void {
    let strikes = 0;
    socket.onAny((event: unknown, ...args: unknown[]) => {
      const ack: Ack | undefined = typeof args[args.length - 1] === 'function' ? (args.pop() as Ack) : undefined;
      void this.dispatch(socket, session, event, args[0], ack, () => {
        if (++strikes >= FLOOD_STRIKES) {
          this.logger.warn({ identity: session.identity, socket: socket.id }, 'closing a flooding socket');
          socket.disconnect(true);
        }
      });
    });
  }

  private async dispatch(socket: Socket, session: SocketSession, event: unknown, payload: unknown, ack: Ack | undefined, strike: () => void): Promise<void> {
    const name = typeof event === 'string' ? event : String(event);
    const reply = (r: Reply<unknown>, outcome: string) => {
      this.commands.inc({ command: isClientCommand(name) ? name : 'unknown', outcome });
      ack?.(r);
    };
    try {
      await this.limiter.consume(socket.id);
    } catch {
      strike();
      return reply({ ok: false, error: Errors.tooManyRequests().toBody() }, 'rate_limited');
    }
    const handler = isClientCommand(name) ? this.handlers.get(name) : undefined;
    if (!handler || !isClientCommand(name)) {
      const unknown = new ParleyError(ErrorCode.InvalidParameter, `Unknown command: ${name.slice(0, 64)}`, 400);
      return reply({ ok: false, error: unknown.toBody() }, 'unknown');
    }
    const parsed = clientCommands[name].safeParse(payload ?? {});
    if (!parsed.success) return reply({ ok: false, error: toParameterError(parsed.error).toBody() }, 'invalid');
    try {
      const data = await withCorrelation(newCorrelationId(), () => handler(session, parsed.data as never, socket));
      reply({ ok: true, data: data ?? null }, 'ok');
    } catch (err) {
      if (err instanceof ParleyError) return reply({ ok: false, error: err.toBody() }, 'error');
      this.logger.error({ err, command: name, identity: session.identity }, 'command failed');
      reply({ ok: false, error: Errors.internal().toBody() }, 'error');
    }
  }
}
