import { reachabilityChange, reachabilityView, type PresenceSnapshot, type ReachabilityFacts } from './presence-state';

const s = (connections: number, notifiable: boolean | null = null): PresenceSnapshot => ({ connections, notifiable });

describe('reachabilityChange', () => {
  it.each<[string, PresenceSnapshot, PresenceSnapshot, ReturnType<typeof reachabilityChange>]>([
    ['first connection: online', s(0), s(1), { is_online: true, is_notifiable: null, reasons: ['reachabilityOnline'] }],
    ['second connection: nothing', s(1), s(2), null],
    ['a repeated open (same count): nothing', s(1), s(1), null],
    ['one of two closes: nothing', s(2), s(1), null],
    ['last connection closes: offline', s(1), s(0), { is_online: false, is_notifiable: null, reasons: ['reachabilityOnline'] }],
    ['a swept node takes several at once: offline', s(3), s(0), { is_online: false, is_notifiable: null, reasons: ['reachabilityOnline'] }],
    ['close of an unknown connection: nothing', s(0), s(0), null],
    ['first binding: notifiable', s(0, null), s(0, true), { is_online: false, is_notifiable: true, reasons: ['reachabilityNotifiable'] }],
    ['first binding while online', s(2, false), s(2, true), { is_online: true, is_notifiable: true, reasons: ['reachabilityNotifiable'] }],
    ['last binding removed', s(1, true), s(1, false), { is_online: true, is_notifiable: false, reasons: ['reachabilityNotifiable'] }],
    ['first report says no binding: nothing visible changed', s(1, null), s(1, false), null],
    ['another binding: nothing', s(1, true), s(1, true), null],
    ['online carries the known notifiability', s(0, true), s(1, true), { is_online: true, is_notifiable: true, reasons: ['reachabilityOnline'] }],
    [
      'both at once (a resync after a report)',
      s(0, false),
      s(1, true),
      { is_online: true, is_notifiable: true, reasons: ['reachabilityOnline', 'reachabilityNotifiable'] },
    ],
  ])('%s', (_name, before, after, expected) => {
    expect(reachabilityChange(before, after)).toEqual(expected);
  });

  /** Connection counts a user goes through, and the online transitions that must be reported (and only those). */
  it.each<[string, number[], boolean[]]>([
    ['one device connects and leaves', [0, 1, 0], [true, false]],
    ['two devices overlap', [0, 1, 2, 1, 0], [true, false]],
    ['reconnect elsewhere before the old connection is removed', [0, 1, 2, 1], [true]],
    ['flapping', [0, 1, 0, 1, 0], [true, false, true, false]],
    ['never connects', [0, 0], []],
  ])('sequence: %s', (_name, counts, expected) => {
    const reported: boolean[] = [];
    for (let i = 1; i < counts.length; i++) {
      const change = reachabilityChange(s(counts[i - 1] as number), s(counts[i] as number));
      if (change) reported.push(change.is_online);
    }
    expect(reported).toEqual(expected);
  });
});

describe('reachabilityView', () => {
  const facts = (f: Partial<ReachabilityFacts>): ReachabilityFacts => ({
    enabled: true,
    enabledSince: 1_000,
    connections: 0,
    lastSeen: null,
    notifiable: null,
    ...f,
  });

  it.each<[string, ReachabilityFacts, ReturnType<typeof reachabilityView>]>([
    ['reachability off: null even when connected', facts({ enabled: false, connections: 2, notifiable: true }), { is_online: null, is_notifiable: null }],
    ['connected', facts({ connections: 1, lastSeen: 500 }), { is_online: true, is_notifiable: null }],
    ['connected since before reachability was turned on', facts({ connections: 1, lastSeen: 10 }), { is_online: true, is_notifiable: null }],
    ['offline, seen since it was turned on', facts({ lastSeen: 2_000 }), { is_online: false, is_notifiable: null }],
    ['offline, last seen before it was turned on', facts({ lastSeen: 999 }), { is_online: null, is_notifiable: null }],
    ['never seen', facts({}), { is_online: null, is_notifiable: null }],
    ['turned-on time unknown: any sighting counts', facts({ enabledSince: null, lastSeen: 1 }), { is_online: false, is_notifiable: null }],
    ['notifiable', facts({ connections: 1, notifiable: true }), { is_online: true, is_notifiable: true }],
    ['not notifiable, never online', facts({ notifiable: false }), { is_online: null, is_notifiable: false }],
  ])('%s', (_name, input, expected) => {
    expect(reachabilityView(input)).toEqual(expected);
  });
});
