import type { z } from 'zod';
import { Errors, ParleyError } from './errors';

/**
 * Validates untrusted input against a schema and turns the first problem into Twilio's
 * 400 error naming the parameter (what a REST client or SDK sees for bad input).
 */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw toParameterError(result.error);
}

export function toParameterError(error: z.ZodError): ParleyError {
  const issue = error.issues[0];
  if (!issue) return Errors.invalidParameter('request');
  // Command payloads nest parameters under `params`; name the parameter itself.
  const path = issue.path.filter((p) => p !== 'params').map(String);
  const name = path[0] ?? 'request';
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  return missing ? Errors.missingParameter(name) : Errors.invalidParameter(name, issue.message);
}
