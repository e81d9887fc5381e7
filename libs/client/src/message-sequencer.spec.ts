import { MessageSequencer } from './message-sequencer';

interface Msg {
  index: number;
  v: number;
}

type Op =
  | { add: number; v?: number }
  | { update: number; v: number }
  | { remove: number }
  | { fill: { from: number; items: number[]; through: number | null } }
  | { rebase: number | null };

interface Case {
  name: string;
  baseline: number | null;
  ops: Op[];
  /** Delivered as `index` or `index@version`. */
  delivered: string[];
  lastIndex: number | null;
  gap: boolean;
  emitted?: string[];
}

const m = (index: number, v = 1): Msg => ({ index, v });
const show = (x: Msg) => (x.v === 1 ? String(x.index) : `${x.index}@${x.v}`);

function run(c: Case) {
  const seq = new MessageSequencer<Msg>(c.baseline);
  const delivered: string[] = [];
  const emitted: string[] = [];
  for (const op of c.ops) {
    if ('add' in op) delivered.push(...seq.add(m(op.add, op.v)).map(show));
    else if ('update' in op) {
      const r = seq.update(m(op.update, op.v));
      if (r.emitUpdate) emitted.push(`updated ${op.update}`);
      delivered.push(...r.deliver.map(show));
    } else if ('remove' in op) {
      const r = seq.remove(op.remove);
      if (r.emitRemove) emitted.push(`removed ${op.remove}`);
      delivered.push(...r.deliver.map(show));
    } else if ('fill' in op) delivered.push(...seq.fill(op.fill.from, op.fill.items.map((i) => m(i)), op.fill.through).map(show));
    else delivered.push(...seq.rebase(op.rebase).map(show));
  }
  return { delivered, emitted, lastIndex: seq.lastIndex, gap: seq.hasGap };
}

const cases: Case[] = [
  { name: 'in order', baseline: 4, ops: [{ add: 5 }, { add: 6 }, { add: 7 }], delivered: ['5', '6', '7'], lastIndex: 7, gap: false },
  { name: 'empty channel starts at index 0', baseline: null, ops: [{ add: 0 }, { add: 1 }], delivered: ['0', '1'], lastIndex: 1, gap: false },
  {
    name: 'out of order is buffered and released in order',
    baseline: 4,
    ops: [{ add: 7 }, { add: 6 }, { add: 5 }],
    delivered: ['5', '6', '7'],
    lastIndex: 7,
    gap: false,
  },
  {
    name: 'duplicates are dropped (delivered, pending, and history)',
    baseline: 4,
    ops: [{ add: 5 }, { add: 5 }, { add: 7 }, { add: 7 }, { add: 3 }, { add: 6 }],
    delivered: ['5', '6', '7'],
    lastIndex: 7,
    gap: false,
  },
  {
    name: 'the next message with a removal waiting after it: delivered, and the sequence moves past the removed index',
    baseline: 4,
    ops: [{ remove: 6 }, { add: 5 }, { add: 7 }, { add: 8 }],
    delivered: ['5', '7', '8'],
    lastIndex: 8,
    gap: false,
  },
  {
    name: 'the next message while a later one waits: both, in order',
    baseline: 4,
    ops: [{ add: 6 }, { add: 5 }, { add: 7 }],
    delivered: ['5', '6', '7'],
    lastIndex: 7,
    gap: false,
  },
  { name: 'a gap holds later messages', baseline: 4, ops: [{ add: 6 }, { add: 7 }], delivered: [], lastIndex: 4, gap: true },
  {
    name: 'a fill result closes the gap',
    baseline: 4,
    ops: [{ add: 7 }, { fill: { from: 5, items: [5, 6, 7], through: 7 } }],
    delivered: ['5', '6', '7'],
    lastIndex: 7,
    gap: false,
  },
  {
    name: 'indexes skipped by deletions: the fill is authoritative',
    baseline: 4,
    ops: [{ add: 8 }, { fill: { from: 5, items: [6, 8], through: 8 } }],
    delivered: ['6', '8'],
    lastIndex: 8,
    gap: false,
  },
  {
    name: 'an empty fill up to a waiting message proves the hole',
    baseline: 4,
    ops: [{ add: 7 }, { fill: { from: 5, items: [], through: 7 } }],
    delivered: ['7'],
    lastIndex: 7,
    gap: false,
  },
  {
    name: 'a partial fill moves the sequence only as far as it covers',
    baseline: 4,
    ops: [{ add: 9 }, { fill: { from: 5, items: [5, 6], through: 6 } }],
    delivered: ['5', '6'],
    lastIndex: 6,
    gap: true,
  },
  {
    name: 'a fill that starts after the expected index proves nothing before it',
    baseline: 4,
    ops: [{ add: 9 }, { fill: { from: 7, items: [7, 8], through: 8 } }],
    delivered: [],
    lastIndex: 4,
    gap: true,
  },
  {
    name: 'fill items already delivered by events are not repeated',
    baseline: 4,
    ops: [{ add: 5 }, { add: 7 }, { fill: { from: 5, items: [5, 6, 7], through: 7 } }],
    delivered: ['5', '6', '7'],
    lastIndex: 7,
    gap: false,
  },
  {
    name: 'a stale fill (the gap closed meanwhile) changes nothing',
    baseline: 4,
    ops: [{ add: 6 }, { add: 5 }, { fill: { from: 5, items: [5, 6], through: 6 } }],
    delivered: ['5', '6'],
    lastIndex: 6,
    gap: false,
  },
  {
    name: 'the update of a pending message replaces it',
    baseline: 4,
    ops: [{ add: 6 }, { update: 6, v: 2 }, { add: 5 }],
    delivered: ['5', '6@2'],
    lastIndex: 6,
    gap: false,
  },
  {
    name: 'an update that arrives before its add is delivered as the add',
    baseline: 4,
    ops: [{ update: 5, v: 2 }, { add: 5 }, { add: 6 }],
    delivered: ['5@2', '6'],
    lastIndex: 6,
    gap: false,
  },
  {
    name: 'the update of a delivered message is emitted',
    baseline: 4,
    ops: [{ add: 5 }, { update: 5, v: 2 }],
    delivered: ['5'],
    lastIndex: 5,
    gap: false,
    emitted: ['updated 5'],
  },
  {
    name: 'a removal before delivery: never delivered, and its hole is no gap',
    baseline: 4,
    ops: [{ add: 6 }, { remove: 5 }, { add: 5 }],
    delivered: ['6'],
    lastIndex: 6,
    gap: false,
  },
  {
    name: 'the removal of a pending message drops it',
    baseline: 4,
    ops: [{ add: 6 }, { remove: 6 }, { add: 5 }, { add: 7 }],
    delivered: ['5', '7'],
    lastIndex: 7,
    gap: false,
  },
  {
    name: 'the removal of a delivered message is emitted',
    baseline: 4,
    ops: [{ add: 5 }, { remove: 5 }, { remove: 2 }],
    delivered: ['5'],
    lastIndex: 5,
    gap: false,
    emitted: ['removed 5', 'removed 2'],
  },
  {
    name: 'a fill does not resurrect a removed message',
    baseline: 4,
    ops: [{ add: 7 }, { remove: 6 }, { fill: { from: 5, items: [5, 6, 7], through: 7 } }],
    delivered: ['5', '7'],
    lastIndex: 7,
    gap: false,
  },
  {
    name: 'rebase drops what it skips and keeps later messages',
    baseline: 4,
    ops: [{ add: 8 }, { add: 30 }, { add: 31 }, { rebase: 29 }],
    delivered: ['30', '31'],
    lastIndex: 31,
    gap: false,
  },
  { name: 'rebase to an empty channel', baseline: 4, ops: [{ rebase: null }, { add: 0 }], delivered: ['0'], lastIndex: 0, gap: false },
];

describe('MessageSequencer', () => {
  it.each(cases)('$name', (c) => {
    const result = run(c);
    expect(result.delivered).toEqual(c.delivered);
    expect(result.lastIndex).toBe(c.lastIndex);
    expect(result.gap).toBe(c.gap);
    expect(result.emitted).toEqual(c.emitted ?? []);
  });

  it('never delivers an index twice or out of order, whatever the arrival order', () => {
    // Every permutation of 6 arrivals, each twice, over a baseline of 9.
    const indexes = [10, 11, 12, 13, 14, 15];
    const permutations = (xs: number[]): number[][] =>
      xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
    for (const order of permutations(indexes)) {
      const seq = new MessageSequencer<Msg>(9);
      const out = [...order, ...order].flatMap((i) => seq.add(m(i))).map((x) => x.index);
      expect(out).toEqual(indexes);
    }
  });

  it('reports the highest waiting index', () => {
    const seq = new MessageSequencer<Msg>(1);
    expect(seq.waitingMax).toBeNull();
    seq.add(m(5));
    seq.remove(9);
    seq.add(m(7));
    expect(seq.waitingMax).toBe(9);
    expect(seq.expected).toBe(2);
  });
});
