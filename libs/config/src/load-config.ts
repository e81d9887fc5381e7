import { z } from 'zod';

/** Thrown when the environment does not satisfy a service's schema; lists every bad variable at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Validates the environment against a schema and returns the typed config.
 * Empty strings count as unset so that `FOO=` in an env file falls back to the default.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  const cleaned: Env = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/**
 * The one place a service reads `process.env`. On a bad environment it prints every problem
 * and exits non-zero, so a misconfigured replica never starts half-working.
 */
export function loadConfigOrExit<S extends z.ZodType>(serviceName: string, schema: S): z.infer<S> {
  try {
    return loadConfig(schema, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(
        `${JSON.stringify({ level: 'fatal', service: serviceName, msg: err.message, problems: err.problems })}\n`,
      );
      process.exit(1);
    }
    throw err;
  }
}
