import type { BindingResource } from '@parley/contracts';
import { PublicUrls } from '../http/urls';
import { presentUserBinding } from '../users/user.presenter';
import { presentBinding } from './binding.presenter';

const base = 'https://chat.example.com';
const IS = `IS${'a'.repeat(32)}`;
const BS = `BS${'b'.repeat(32)}`;
const US = `US${'c'.repeat(32)}`;
const binding: BindingResource = {
  sid: BS,
  account_sid: `AC${'d'.repeat(32)}`,
  service_sid: IS,
  date_created: '2016-10-21T11:37:03Z',
  date_updated: '2016-10-21T11:37:03Z',
  endpoint: 'TestUser-endpoint',
  identity: 'Test User/1',
  user_sid: US,
  credential_sid: null,
  binding_type: 'gcm',
  message_types: ['new_message'],
};

describe('binding presenters', () => {
  const urls = new PublicUrls(base);

  it('renders a Binding as chat.v2.service.binding: no user_sid, url, links.user by identity', () => {
    const json = presentBinding(urls, binding);
    expect(json).not.toHaveProperty('user_sid');
    expect(json.url).toBe(`${base}/v2/Services/${IS}/Bindings/${BS}`);
    expect(json.links).toEqual({ user: `${base}/v2/Services/${IS}/Users/Test%20User%2F1` });
  });

  it('renders a UserBinding with user_sid and its url under the user sid, without links', () => {
    const json = presentUserBinding(urls, binding);
    expect(json.user_sid).toBe(US);
    expect(json.url).toBe(`${base}/v2/Services/${IS}/Users/${US}/Bindings/${BS}`);
    expect(json).not.toHaveProperty('links');
  });

  it('links a user to its channels and bindings', () => {
    expect(urls.userLinks(IS, US)).toEqual({
      user_channels: `${base}/v2/Services/${IS}/Users/${US}/Channels`,
      user_bindings: `${base}/v2/Services/${IS}/Users/${US}/Bindings`,
    });
    expect(urls.role(IS, `RL${'e'.repeat(32)}`)).toBe(`${base}/v2/Services/${IS}/Roles/RL${'e'.repeat(32)}`);
    expect(urls.credential(`CR${'f'.repeat(32)}`)).toBe(`${base}/v2/Credentials/CR${'f'.repeat(32)}`);
  });
});
