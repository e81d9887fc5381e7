import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { commonEnvShape, port } from './common-env';

const schema = z.object({ ...commonEnvShape, PORT: port(3000), SECRET: z.string().length(4) });

describe('loadConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const cfg = loadConfig(schema, { SECRET: 'abcd', PORT: '4000' });
    expect(cfg.PORT).toBe(4000);
    expect(cfg.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(cfg.SHUTDOWN_TIMEOUT_MS).toBe(10_000);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig(schema, { SECRET: 'abcd', PORT: '' }).PORT).toBe(3000);
  });

  it('reports every bad variable at once', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { PORT: 'eighty', NATS_URL: 'http://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const names = (caught as ConfigError).problems.map((p) => p.split(':')[0]).sort();
    expect(names).toEqual(['LOG_LEVEL', 'NATS_URL', 'PORT', 'SECRET']);
  });
});
