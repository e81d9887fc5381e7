import { WriteTurn } from './write-turn';

/** A turn scheduler the test runs by hand. */
function manualTurns() {
  const pending: (() => void)[] = [];
  return {
    schedule: (fn: () => void) => pending.push(fn),
    run: () => pending.splice(0).forEach((fn) => fn()),
    get scheduled() {
      return pending.length;
    },
  };
}

describe('WriteTurn', () => {
  it('sends what was deferred during a turn together, in order, on one scheduled turn', () => {
    const turns = manualTurns();
    const sent: string[] = [];
    const turn = new WriteTurn(() => undefined, turns.schedule);
    turn.defer(() => sent.push('a'));
    turn.defer(() => sent.push('b'));
    turn.defer(() => sent.push('c'));
    expect(sent).toEqual([]);
    expect(turns.scheduled).toBe(1);
    turns.run();
    expect(sent).toEqual(['a', 'b', 'c']);
    turn.defer(() => sent.push('d'));
    expect(turns.scheduled).toBe(1);
    turns.run();
    expect(sent).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reports a failed send and still sends the rest', () => {
    const turns = manualTurns();
    const errors: unknown[] = [];
    const sent: string[] = [];
    const turn = new WriteTurn((err) => errors.push(err), turns.schedule);
    turn.defer(() => {
      throw new Error('closed');
    });
    turn.defer(() => sent.push('after'));
    turns.run();
    expect(sent).toEqual(['after']);
    expect(errors).toEqual([new Error('closed')]);
  });

  it('lets every waiter of a turn continue before anything else of that turn runs', async () => {
    const turns = manualTurns();
    const order: string[] = [];
    const turn = new WriteTurn(() => undefined, turns.schedule);
    const waiters = [1, 2, 3].map(async (i) => {
      await turn.next();
      order.push(`request ${i}`);
      if (i === 1) queueMicrotask(() => order.push('connection flush'));
    });
    turns.run();
    await Promise.all(waiters);
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    expect(order).toEqual(['request 1', 'request 2', 'request 3', 'connection flush']);
  });

  it('flushes synchronously on demand and does not send twice', () => {
    const turns = manualTurns();
    const sent: string[] = [];
    const turn = new WriteTurn(() => undefined, turns.schedule);
    turn.defer(() => sent.push('x'));
    turn.flush();
    expect(sent).toEqual(['x']);
    turns.run();
    expect(sent).toEqual(['x']);
  });
});
