export interface BackoffOptions {
  /** Cap of the first retry, ms. */
  initialMs: number;
  /** Largest cap, ms. */
  maxMs: number;
  /** Growth of the cap per attempt. */
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000, factor: 2 };

/** The cap of attempt `attempt` (0-based): initial × factor^attempt, at most maxMs. */
export function backoffCap(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, Math.floor(attempt));
  // Math.min before the multiplication would still overflow for huge attempts; pow saturates to Infinity safely.
  return Math.min(options.maxMs, options.initialMs * Math.pow(options.factor, exponent));
}

/**
 * "Full jitter" (AWS architecture blog): a uniform delay in [0, cap). Spreads the reconnects of every
 * client of a replica that just went away instead of synchronising them.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(backoffCap(attempt, options) * r);
}

/** Attempt counter: `next()` gives the next delay; `reset()` after a connection that reached its session. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    return backoffDelay(this.attempt++, this.options, this.random);
  }

  get attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}
