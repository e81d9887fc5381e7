import { Injectable } from '@nestjs/common';
import {
  commands,
  parseParams,
  type Caller,
  type CommandReply,
  type CommandRequest,
  type CommandSubject,
} from '@parley/contracts';
import { NatsTransport } from '@parley/nats';

/** The commands a REST call can make: those whose request carries a caller envelope. */
export type RestCommand = {
  [S in CommandSubject]: CommandRequest<S> extends { caller: unknown } ? S : never;
}[CommandSubject];

/** What controllers hand over: form fields or query parameters as received, plus path parameters. */
export type RestParams = Record<string, unknown>;

/**
 * How a REST handler talks to the services behind the gateway: the params are checked against the
 * command's contract first (a 400 naming the parameter, without a round trip), then the validated,
 * typed command goes over NATS and its reply or Twilio error comes back.
 */
@Injectable()
export class RestCommands {
  constructor(private readonly nats: NatsTransport) {}

  run<S extends RestCommand>(subject: S, caller: Caller, params: RestParams): Promise<CommandReply<S>> {
    const payload = parseParams(commands[subject].request, { caller, params }) as CommandRequest<S>;
    return this.nats.request(subject, payload);
  }
}
