import { ConfigError, loadConfig } from '@parley/config';
import { apiGatewayConfigSchema } from './api-gateway.config';

describe('api-gateway config', () => {
  it('has defaults for a local run', () => {
    expect(loadConfig(apiGatewayConfigSchema, {})).toMatchObject({
      PORT: 3000,
      PARLEY_PUBLIC_URL: 'http://127.0.0.1:3000',
      REST_RATE_LIMIT_PER_SECOND: 30,
    });
  });

  it.each([
    ['https://chat.example.com/', 'https://chat.example.com'],
    ['https://example.com/parley//', 'https://example.com/parley'],
    ['http://10.0.0.5:8080', 'http://10.0.0.5:8080'],
  ])('takes PARLEY_PUBLIC_URL %s as %s', (value, expected) => {
    expect(loadConfig(apiGatewayConfigSchema, { PARLEY_PUBLIC_URL: value }).PARLEY_PUBLIC_URL).toBe(expected);
  });

  it.each(['chat.example.com', 'ftp://example.com', 'https://example.com/?x=1', 'https://example.com/#top'])(
    'refuses PARLEY_PUBLIC_URL %s',
    (value) => {
      expect(() => loadConfig(apiGatewayConfigSchema, { PARLEY_PUBLIC_URL: value })).toThrow(ConfigError);
    },
  );

  it('refuses a rate limit that is not a positive integer', () => {
    expect(() => loadConfig(apiGatewayConfigSchema, { REST_RATE_LIMIT_PER_SECOND: '0' })).toThrow(ConfigError);
  });
});
