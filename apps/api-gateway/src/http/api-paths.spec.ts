import { isApiPath, resourcePath } from './api-paths';

describe('api paths', () => {
  it.each([
    ['/v2', true],
    ['/v2/Services', true],
    ['/v1/Services/IS1/Configuration', true],
    ['/2010-04-01/Accounts/AC1/Keys.json', true],
    ['/v20', false],
    ['/health/ready', false],
    ['/metrics', false],
    ['/', false],
  ])('%s is an API path: %s', (path, expected) => {
    expect(isApiPath(path)).toBe(expected);
  });

  it.each([
    ['/v2/Services/IS1', '/Services/IS1'],
    ['/v1/Services/IS1/Configuration', '/Services/IS1/Configuration'],
    ['/2010-04-01/Accounts/AC1/Keys/SK1.json', '/2010-04-01/Accounts/AC1/Keys/SK1.json'],
    ['/nope', '/nope'],
    ['/v2', '/v2'],
  ])('names %s as %s in a 20404 message', (path, expected) => {
    expect(resourcePath(path)).toBe(expected);
  });
});
