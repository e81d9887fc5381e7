import { ConfigError, loadConfig } from '@parley/config';
import { messageConfigSchema } from './message.config';

const valid = {
  PARLEY_ACCOUNT_SID: 'AC5ea1e7000000000000000000000000de',
  PARLEY_AUTH_TOKEN: '0123456789abcdef0123456789abcdef',
  PARLEY_SECRET_KEY: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(messageConfigSchema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('message-service config', () => {
  it('applies the defaults', () => {
    expect(loadConfig(messageConfigSchema, valid)).toMatchObject({
      PORT: 3010,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/parley',
      DATABASE_POOL_SIZE: 20,
    });
  });

  it('requires the account, its token and the server key, reporting all at once', () => {
    expect(problemsOf({}).map((p) => p.split(':')[0]).sort()).toEqual(['PARLEY_ACCOUNT_SID', 'PARLEY_AUTH_TOKEN', 'PARLEY_SECRET_KEY']);
  });

  it.each([
    ['PARLEY_ACCOUNT_SID', 'AC123'],
    ['PARLEY_ACCOUNT_SID', `SK${'0'.repeat(32)}`],
    ['PARLEY_AUTH_TOKEN', 'short'],
    ['PARLEY_AUTH_TOKEN', `${'a'.repeat(31)}!`],
    ['PARLEY_AUTH_TOKEN', 'a'.repeat(65)],
    ['PARLEY_SECRET_KEY', 'ab'.repeat(16)],
    ['PARLEY_SECRET_KEY', 'zz'.repeat(32)],
    ['DATABASE_URL', 'mysql://localhost/parley'],
    ['DATABASE_POOL_SIZE', '0'],
  ])('rejects %s=%p without echoing the value', (name, value) => {
    const problems = problemsOf({ ...valid, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}:`));
    expect(problems[0]).not.toContain(value);
  });

  it.each([['a'.repeat(32)], ['A1'.repeat(32)]])('accepts a 32-64 character auth token', (token) => {
    expect(problemsOf({ ...valid, PARLEY_AUTH_TOKEN: token })).toEqual([]);
  });
});
