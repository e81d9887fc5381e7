import { accountEventSubject, parseAccountEventSubject, parseEventSubject } from '../events';
import { rfc2822Date } from './account';

const AC = `AC${'a'.repeat(32)}`;

describe('rfc2822Date', () => {
  it.each([
    ['2026-11-24T07:00:00.123Z', 'Tue, 24 Nov 2026 07:00:00 +0000'],
    ['2015-07-30T20:00:00Z', 'Thu, 30 Jul 2015 20:00:00 +0000'],
    ['2024-02-05T03:04:05Z', 'Mon, 05 Feb 2024 03:04:05 +0000'],
  ])('renders %s as %s, as api.twilio.com does', (iso, expected) => {
    expect(rfc2822Date(new Date(iso))).toBe(expected);
  });
});

describe('account event subjects', () => {
  it('round-trips credentials.changed', () => {
    const subject = accountEventSubject(AC, 'credentials.changed');
    expect(subject).toBe(`account.v1.evt.${AC}.credentials.changed`);
    expect(parseAccountEventSubject(subject)).toEqual({ accountSid: AC, name: 'credentials.changed' });
  });

  it.each([
    ['a service event', `chat.v1.evt.IS${'b'.repeat(32)}.service.updated`],
    ['an unknown account event', `account.v1.evt.${AC}.password.changed`],
    ['no event name', `account.v1.evt.${AC}`],
    ['another root', `account.v2.evt.${AC}.credentials.changed`],
  ])('ignores %s', (_case, subject) => {
    expect(parseAccountEventSubject(subject)).toBeNull();
  });

  it('stays outside the service events: subscribers of chat.v1.evt.> never see it', () => {
    expect(accountEventSubject(AC, 'credentials.changed').startsWith('chat.v1.evt.')).toBe(false);
    expect(parseEventSubject(accountEventSubject(AC, 'credentials.changed'))).toBeNull();
  });
});
