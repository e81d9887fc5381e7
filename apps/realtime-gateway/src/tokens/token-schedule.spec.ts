import { tokenSchedule } from './token-schedule';

describe('tokenSchedule', () => {
  const now = 1_000_000_000_000;
  it.each([
    ['an hour-long token warns 3 minutes before', now / 1000 + 3600, 180, { warnInMs: 3_420_000, expireInMs: 3_600_000 }],
    ['a 10 s token warns half-way', now / 1000 + 10, 180, { warnInMs: 5_000, expireInMs: 10_000 }],
    ['an expired token expires now', now / 1000 - 5, 180, { warnInMs: 0, expireInMs: 0 }],
  ])('%s', (_name, exp, warn, expected) => {
    expect(tokenSchedule(exp, now, warn)).toEqual(expected);
  });
});
