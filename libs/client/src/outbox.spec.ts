import { newIdempotencyKey, Outbox } from './outbox';

describe('Outbox (idempotent resend bookkeeping)', () => {
  const send = { channel: 'CH1', body: 'hi', idempotencyKey: 'k'.repeat(32) };

  it('sends waiting entries once per connection, oldest first', () => {
    const box = new Outbox<string>();
    const a = box.add('message.send', send, 'resend', 1000, 'a');
    const b = box.add('channel.join', { channel: 'CH1' }, 'once', 1000, 'b');
    expect(box.takeSendable(1).map((e) => e.handle)).toEqual(['a', 'b']);
    expect(box.takeSendable(1)).toEqual([]);
    expect([a.attempts, b.attempts]).toEqual([1, 1]);
  });

  it('after a drop, resends the very same payload; fails what must not be resent', () => {
    const box = new Outbox<string>();
    const a = box.add('message.send', send, 'resend', 1000, 'a');
    box.add('channel.join', { channel: 'CH1' }, 'once', 1000, 'b');
    box.add('channel.leave', { channel: 'CH2' }, 'once', 1000, 'c');
    box.takeSendable(1);
    const failed = box.connectionLost();
    expect(failed.map((e) => e.handle)).toEqual(['b', 'c']);
    const d = box.add('channel.decline', { channel: 'CH3' }, 'once', 1000, 'd');
    const resent = box.takeSendable(2);
    expect(resent.map((e) => e.handle)).toEqual(['a', 'd']);
    expect(resent[0].payload).toBe(a.payload);
    expect((resent[0].payload as typeof send).idempotencyKey).toBe(send.idempotencyKey);
    expect(a.attempts).toBe(2);
    expect(d.sentOn).toBe(2);
  });

  it('an entry not yet sent survives a drop whatever its policy', () => {
    const box = new Outbox<string>();
    box.add('channel.join', { channel: 'CH1' }, 'once', 1000, 'a');
    expect(box.connectionLost()).toEqual([]);
    expect(box.takeSendable(1).map((e) => e.handle)).toEqual(['a']);
  });

  it('the first ack settles; a late ack of an earlier attempt is ignored', () => {
    const box = new Outbox<string>();
    const a = box.add('message.send', send, 'resend', 1000, 'a');
    box.takeSendable(1);
    box.connectionLost();
    box.takeSendable(2);
    expect(box.settle(a.id)).toBe(a);
    expect(box.settle(a.id)).toBeUndefined();
    expect(box.size).toBe(0);
  });

  it.each([
    { policy: 'resend' as const, now: 500, outcome: 'resend' },
    { policy: 'resend' as const, now: 1000, outcome: 'fail' },
    { policy: 'once' as const, now: 500, outcome: 'fail' },
  ])('an attempt timing out: $policy at $now (deadline 1000) → $outcome', ({ policy, now, outcome }) => {
    const box = new Outbox<string>();
    const a = box.add('message.send', send, policy, 1000, 'a');
    box.takeSendable(1);
    expect(box.attemptTimedOut(a.id, now)).toBe(outcome);
    expect(box.size).toBe(outcome === 'resend' ? 1 : 0);
    if (outcome === 'resend') expect(box.takeSendable(1).map((e) => e.attempts)).toEqual([2]);
    expect(box.attemptTimedOut(a.id + 100, now)).toBe('ignore');
  });

  it('drain empties the box', () => {
    const box = new Outbox<string>();
    box.add('typing', { channel: 'CH1' }, 'once', 1000, 'a');
    box.add('typing', { channel: 'CH2' }, 'resend', 1000, 'b');
    expect(box.drain().map((e) => e.handle)).toEqual(['a', 'b']);
    expect(box.size).toBe(0);
  });
});

describe('newIdempotencyKey', () => {
  it('is 32 hex characters (within the protocol bounds of 8–64) and unique', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('uses the given random source', () => {
    expect(newIdempotencyKey((b) => b.fill(171))).toBe('ab'.repeat(16));
  });
});
