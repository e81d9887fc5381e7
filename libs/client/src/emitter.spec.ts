import { TypedEmitter } from './emitter';

interface Events {
  a: [n: number];
  b: [s: string, flag: boolean];
}

class Probe extends TypedEmitter<Events> {
  errors: string[] = [];
  protected override reportListenerError(err: unknown, event: string): void {
    this.errors.push(`${event}: ${(err as Error).message}`);
  }
}

describe('TypedEmitter', () => {
  it('calls listeners in order with their arguments', () => {
    const e = new Probe();
    const calls: string[] = [];
    e.on('a', (n) => calls.push(`1:${n}`));
    e.on('a', (n) => calls.push(`2:${n}`));
    e.on('b', (s, f) => calls.push(`b:${s}:${f}`));
    expect(e.emit('a', 7)).toBe(true);
    e.emit('b', 'x', true);
    expect(calls).toEqual(['1:7', '2:7', 'b:x:true']);
    expect(e.listenerCount('a')).toBe(2);
  });

  it('once fires a single time and can be removed by the original listener', () => {
    const e = new Probe();
    const seen: number[] = [];
    const l = (n: number) => seen.push(n);
    e.once('a', l);
    e.emit('a', 1);
    e.emit('a', 2);
    expect(seen).toEqual([1]);
    e.once('a', l);
    e.off('a', l);
    e.emit('a', 3);
    expect(seen).toEqual([1]);
  });

  it('off, removeListener and removeAllListeners detach', () => {
    const e = new Probe();
    const l = jest.fn();
    e.on('a', l).addListener('b', l);
    e.removeListener('a', l);
    expect(e.emit('a', 1)).toBe(false);
    e.removeAllListeners();
    expect(e.emit('b', 'x', false)).toBe(false);
    expect(l).not.toHaveBeenCalled();
  });

  it('a throwing listener is reported and does not stop the others', () => {
    const e = new Probe();
    const after = jest.fn();
    e.on('a', () => {
      throw new Error('boom');
    });
    e.on('a', after);
    e.emit('a', 1);
    expect(after).toHaveBeenCalledWith(1);
    expect(e.errors).toEqual(['a: boom']);
  });

  it('a listener removing itself during emit does not skip the next one', () => {
    const e = new Probe();
    const calls: string[] = [];
    const first = () => {
      calls.push('first');
      e.off('a', first);
    };
    e.on('a', first);
    e.on('a', () => calls.push('second'));
    e.emit('a', 1);
    e.emit('a', 2);
    expect(calls).toEqual(['first', 'second', 'second']);
  });

  it('a listener added during emit runs from the next emit on; one removed during emit still runs in that emit', () => {
    const e = new Probe();
    const calls: string[] = [];
    const late = () => calls.push('late');
    const second = () => calls.push('second');
    e.on('a', () => {
      calls.push('first');
      e.on('a', late);
      e.off('a', second);
    });
    e.on('a', second);
    e.emit('a', 1);
    expect(calls).toEqual(['first', 'second']);
    calls.length = 0;
    e.off('a', late);
    e.emit('a', 2);
    expect(calls).toEqual(['first']);
    expect(e.listenerCount('a')).toBe(2);
  });

  it('off of an unknown listener leaves the others', () => {
    const e = new Probe();
    const l = jest.fn();
    e.on('a', l);
    e.off('a', () => undefined);
    e.emit('a', 1);
    expect(l).toHaveBeenCalledTimes(1);
  });
});
