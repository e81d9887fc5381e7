import { HandshakeGate } from './handshake-gate';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const gone = () => new Error('gone');

describe('HandshakeGate', () => {
  it('runs at most `limit` at a time and the others in arrival order', async () => {
    const gate = new HandshakeGate(2);
    const started: number[] = [];
    const works = Array.from({ length: 5 }, () => deferred<number>());
    const runs = works.map((w, i) =>
      gate.run(
        () => (started.push(i), w.promise),
        () => true,
        gone,
      ),
    );
    await flush();
    expect(started).toEqual([0, 1]);
    expect(gate.queued).toBe(3);
    works[1]!.resolve(1);
    await flush();
    expect(started).toEqual([0, 1, 2]);
    works[0]!.reject(new Error('failed'));
    await flush();
    expect(started).toEqual([0, 1, 2, 3]);
    works[2]!.resolve(2);
    works[3]!.resolve(3);
    await flush();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    works[4]!.resolve(4);
    await expect(runs[0]).rejects.toThrow('failed');
    await expect(Promise.all(runs.slice(1))).resolves.toEqual([1, 2, 3, 4]);
    expect(gate.queued).toBe(0);
    // Every turn was given back: two run at once again.
    const again = [deferred<number>(), deferred<number>()];
    let n = 0;
    const more = again.map((w) => gate.run(() => (n++, w.promise), () => true, gone));
    await flush();
    expect(n).toBe(2);
    again.forEach((w, i) => w.resolve(i));
    await Promise.all(more);
  });

  it('skips a waiting handshake whose client went away, and gives its turn on', async () => {
    const gate = new HandshakeGate(1);
    const first = deferred<string>();
    const ran: string[] = [];
    const a = gate.run(() => (ran.push('a'), first.promise), () => true, gone);
    let bWanted = true;
    const b = gate.run(() => (ran.push('b'), Promise.resolve('b')), () => bWanted, gone);
    const c = gate.run(() => (ran.push('c'), Promise.resolve('c')), () => true, gone);
    bWanted = false;
    first.resolve('a');
    await expect(a).resolves.toBe('a');
    await expect(b).rejects.toThrow('gone');
    await expect(c).resolves.toBe('c');
    expect(ran).toEqual(['a', 'c']);
  });
});
