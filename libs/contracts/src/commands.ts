import { z } from 'zod';
import { callerSchema } from './envelope';
import { pageParamsSchema, pageResultSchema } from './paging';
import { authenticateRequestSchema, principalSchema } from './resources/account';
import {
  createServiceParamsSchema,
  serviceResourceSchema,
  serviceSidParamsSchema,
  updateServiceParamsSchema,
} from './resources/service';

/** A command carries the caller envelope and its parameters. */
const withCaller = <P extends z.ZodType>(params: P) => z.object({ caller: callerSchema, params });

const command = <Req extends z.ZodType, Rep extends z.ZodType>(request: Req, reply: Rep) => ({ request, reply });

const empty = z.object({});

/**
 * Every request/reply subject between services and the shape of both halves.
 * Names are versioned (`chat.v1`); a published shape is never changed in place.
 */
export const commands = {
  'chat.v1.cmd.account.authenticate': command(authenticateRequestSchema, principalSchema),

  'chat.v1.cmd.service.create': command(withCaller(createServiceParamsSchema), serviceResourceSchema),
  'chat.v1.cmd.service.fetch': command(withCaller(serviceSidParamsSchema), serviceResourceSchema),
  'chat.v1.cmd.service.update': command(withCaller(updateServiceParamsSchema), serviceResourceSchema),
  'chat.v1.cmd.service.delete': command(withCaller(serviceSidParamsSchema), empty),
  'chat.v1.cmd.service.list': command(withCaller(pageParamsSchema), pageResultSchema(serviceResourceSchema)),
} as const;

export type Commands = typeof commands;
export type CommandSubject = keyof Commands;
/** What a requester sends (form strings allowed where the schema coerces them). */
export type CommandRequest<S extends CommandSubject> = z.input<Commands[S]['request']>;
/** What a handler receives, validated and coerced. */
export type CommandInput<S extends CommandSubject> = z.output<Commands[S]['request']>;
export type CommandReply<S extends CommandSubject> = z.output<Commands[S]['reply']>;
export type CommandParams<S extends CommandSubject> = CommandInput<S> extends { params: infer P } ? P : never;

export function isCommandSubject(subject: string): subject is CommandSubject {
  return Object.prototype.hasOwnProperty.call(commands, subject);
}
