import { parseSidKey } from './keysets';

describe('parseSidKey', () => {
  it.each<[unknown, unknown]>([
    [{ sid: `CH${'f'.repeat(32)}` }, { sid: `CH${'f'.repeat(32)}` }],
    [{ sid: `MB${'f'.repeat(32)}` }, null],
    [{ sid: "CH' OR 1=1" }, null],
    ['CH', null],
    [null, null],
  ])('%p → %p', (raw, expected) => {
    expect(parseSidKey('CH')(raw)).toEqual(expected);
  });
});
