import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Errors, isSid, type Caller, type SidPrefix } from '@parley/contracts';
import { principalOf } from '../auth/basic-auth.middleware';
import { resourcePath } from './api-paths';

/** The caller envelope of a REST call: the authenticated account, acting as `system` (no role checks). */
export const RestCaller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Caller => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return { accountSid: principalOf(req).accountSid, actor: { kind: 'system' }, requestId: String(req.id) };
});

const sidParam = createParamDecorator((spec: { name: string; prefix: SidPrefix }, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const value = req.params[spec.name];
  // A path segment that is not a sid names a resource that cannot exist: Twilio answers 404, not 400.
  if (!isSid(value, spec.prefix)) throw Errors.notFound(resourcePath(req.path));
  return value;
});

/** A path parameter that must be a sid of the given kind, e.g. `@PathSid('sid', 'IS')`. */
export const PathSid = (name: string, prefix: SidPrefix) => sidParam({ name, prefix });

/** Longest friendly key (unique name, identity) a path may carry; anything longer cannot name a resource. */
const MAX_PATH_KEY_LENGTH = 256;

const keyParam = createParamDecorator((name: string, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<Request>();
  const value = req.params[name];
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PATH_KEY_LENGTH) {
    throw Errors.notFound(resourcePath(req.path));
  }
  return value;
});

/**
 * A path parameter that is a sid OR a friendly key, as Twilio allows for Channels (`unique_name`), Users and
 * Members (`identity`): passed on as given (percent-decoded); message-service resolves it, and answers 404.
 */
export const PathKey = (name: string) => keyParam(name);
