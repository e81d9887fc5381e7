/**
 * A tiny typed event emitter for browsers and Node (no `events` import, so the browser bundle stays small).
 * `Events` maps each event name to the tuple of its listener arguments.
 */
export type EventMap<Events> = { [E in keyof Events]: unknown[] };
export type Listener<Args extends unknown[]> = (...args: Args) => void;

export class TypedEmitter<Events extends EventMap<Events>> {
  private readonly listeners = new Map<keyof Events, unknown[]>();

  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): this {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
    return this;
  }

  once<E extends keyof Events>(event: E, listener: Listener<Events[E]>): this {
    const wrapper: Listener<Events[E]> & { original?: Listener<Events[E]> } = (...args) => {
      this.off(event, wrapper);
      listener(...args);
    };
    wrapper.original = listener;
    return this.on(event, wrapper);
  }

  off<E extends keyof Events>(event: E, listener: Listener<Events[E]>): this {
    const list = this.listeners.get(event);
    if (!list) return this;
    const at = list.findIndex((l) => l === listener || (l as { original?: unknown }).original === listener);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.listeners.delete(event);
    return this;
  }

  addListener<E extends keyof Events>(event: E, listener: Listener<Events[E]>): this {
    return this.on(event, listener);
  }

  removeListener<E extends keyof Events>(event: E, listener: Listener<Events[E]>): this {
    return this.off(event, listener);
  }

  removeAllListeners(event?: keyof Events): this {
    if (event === undefined) this.listeners.clear();
    else this.listeners.delete(event);
    return this;
  }

  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  /**
   * Calls every listener in registration order. A throwing listener must not break the SDK's own
   * bookkeeping (the emit usually happens in the middle of applying a server event), so its error goes
   * to `reportListenerError` and the remaining listeners still run.
   */
  emit<E extends keyof Events>(event: E, ...args: Events[E]): boolean {
    const list = this.listeners.get(event);
    if (!list || list.length === 0) return false;
    for (const listener of [...list]) {
      try {
        (listener as Listener<Events[E]>)(...args);
      } catch (err) {
        this.reportListenerError(err, String(event));
      }
    }
    return true;
  }

  protected reportListenerError(err: unknown, event: string): void {
    console.error(`[parley] a listener of "${event}" threw`, err);
  }
}
