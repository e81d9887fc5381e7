import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

const store = new AsyncLocalStorage<string>();

/** Runs `fn` with a correlation id that outgoing NATS messages carry in their headers. */
export function withCorrelation<T>(correlationId: string, fn: () => T): T {
  return store.run(correlationId, fn);
}

export function currentCorrelationId(): string | undefined {
  return store.getStore();
}

export function newCorrelationId(): string {
  return randomUUID();
}

export const CORRELATION_HEADER = 'x-correlation-id';
