export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, silent: 5 };

export interface Logger {
  trace(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** Console logger with a level; tokens are never passed to it. */
export function createLogger(level: LogLevel = 'warn'): Logger {
  const enabled = (l: LogLevel) => RANK[l] >= RANK[level];
  const at =
    (l: Exclude<LogLevel, 'silent'>, sink: (...a: unknown[]) => void) =>
    (...args: unknown[]) => {
      if (enabled(l)) sink('[parley]', ...args);
    };
  return {
    trace: at('trace', (...a) => console.debug(...a)),
    debug: at('debug', (...a) => console.debug(...a)),
    info: at('info', (...a) => console.info(...a)),
    warn: at('warn', (...a) => console.warn(...a)),
    error: at('error', (...a) => console.error(...a)),
  };
}
