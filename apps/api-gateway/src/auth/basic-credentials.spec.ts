import { parseBasicAuthorization } from './basic-credentials';

const AC = `AC${'a'.repeat(32)}`;
const SK = `SK${'0123456789abcdef'.repeat(2)}`;
const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

describe('parseBasicAuthorization', () => {
  it.each([
    ['account sid and auth token', basic(`${AC}:token`), { username: AC, password: 'token' }],
    ['api key sid and secret', basic(`${SK}:secret`), { username: SK, password: 'secret' }],
    ['a password containing colons', basic(`${AC}:a:b:c`), { username: AC, password: 'a:b:c' }],
    ['a lower-case scheme', `basic ${Buffer.from(`${AC}:t`).toString('base64')}`, { username: AC, password: 't' }],
    ['non-ASCII in the password', basic(`${AC}:pässwörd`), { username: AC, password: 'pässwörd' }],
  ])('reads %s', (_case, header, expected) => {
    expect(parseBasicAuthorization(header)).toEqual(expected);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', `Bearer ${Buffer.from(`${AC}:t`).toString('base64')}`],
    ['no credentials after the scheme', 'Basic '],
    ['characters outside base64', 'Basic not*base64'],
    ['no colon', basic(AC)],
    ['an empty password', basic(`${AC}:`)],
    ['a password over 256 characters', basic(`${AC}:${'x'.repeat(257)}`)],
    ['a user that is not a sid', basic('admin:secret')],
    ['a sid of another kind', basic(`IS${'a'.repeat(32)}:secret`)],
    ['a short sid', basic('AC123:secret')],
  ])('refuses %s', (_case, header) => {
    expect(parseBasicAuthorization(header)).toBeNull();
  });
});
