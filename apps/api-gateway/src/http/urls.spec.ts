import { PublicUrls } from './urls';

describe('PublicUrls', () => {
  const sid = `IS${'a'.repeat(32)}`;

  it.each([
    ['http://127.0.0.1:3000', `http://127.0.0.1:3000/v2/Services/${sid}`],
    ['https://chat.example.com/parley', `https://chat.example.com/parley/v2/Services/${sid}`],
  ])('builds absolute service URLs on %s', (base, expected) => {
    expect(new PublicUrls(base).service(sid)).toBe(expected);
  });

  it('links a service to its channels, users, roles and bindings', () => {
    const urls = new PublicUrls('https://chat.example.com');
    expect(urls.services()).toBe('https://chat.example.com/v2/Services');
    expect(urls.serviceLinks(sid)).toEqual({
      channels: `https://chat.example.com/v2/Services/${sid}/Channels`,
      users: `https://chat.example.com/v2/Services/${sid}/Users`,
      roles: `https://chat.example.com/v2/Services/${sid}/Roles`,
      bindings: `https://chat.example.com/v2/Services/${sid}/Bindings`,
    });
  });
});
