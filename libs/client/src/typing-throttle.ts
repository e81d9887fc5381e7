/**
 * `channel.typing()` is called on every keystroke; the indicator only needs refreshing before the other
 * side's typing timeout runs out. Sending at 60% of that timeout (at least 1 s apart) keeps it lit
 * without flooding the gateway's rate limit.
 */
export function typingInterval(typingTimeoutMs: number): number {
  return Math.max(1000, Math.floor(typingTimeoutMs * 0.6));
}

export class TypingThrottle {
  private lastSentAt: number | null = null;

  /** Whether a typing signal should go out now; records it when so. */
  shouldSend(now: number, typingTimeoutMs: number): boolean {
    if (this.lastSentAt !== null && now - this.lastSentAt < typingInterval(typingTimeoutMs)) return false;
    this.lastSentAt = now;
    return true;
  }

  /** After sending a message the indicator is over: the next keystroke signals again at once. */
  reset(): void {
    this.lastSentAt = null;
  }
}
