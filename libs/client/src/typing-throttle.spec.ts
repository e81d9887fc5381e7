import { TypingThrottle, typingInterval } from './typing-throttle';

describe('typing throttle', () => {
  it.each([
    { timeout: 5000, interval: 3000 },
    { timeout: 1000, interval: 1000 },
    { timeout: 60_000, interval: 36_000 },
  ])('a $timeout ms typing timeout signals every $interval ms', ({ timeout, interval }) => {
    expect(typingInterval(timeout)).toBe(interval);
  });

  it('sends the first keystroke, then at most once per interval', () => {
    const t = new TypingThrottle();
    const sent = [0, 500, 2999, 3000, 3100, 6000, 6001].filter((now) => t.shouldSend(now, 5000));
    expect(sent).toEqual([0, 3000, 6000]);
  });

  it('signals again at once after a reset (a message was sent)', () => {
    const t = new TypingThrottle();
    expect(t.shouldSend(0, 5000)).toBe(true);
    t.reset();
    expect(t.shouldSend(10, 5000)).toBe(true);
  });
});
