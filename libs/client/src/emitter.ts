/**
 * A tiny typed event emitter for browsers and Node (no `events` import, so the browser bundle stays small).
 * `Events` maps each event name to the tuple of its listener arguments.
 */
export type EventMap<Events> = { [E in keyof Events]: unknown[] };
export type Listener<Args extends unknown[]> = (...args: Args) => void;

export class TypedEmitter<Events extends EventMap<Events>> {
  /**
   * Listener lists are never changed in place: adding or removing one makes a new array. An emit can then run the
   * list it read as it is (a listener removed or added during the emit does not change that emit), without copying
   * it on every emit — the SDK emits once or twice per delivered message.
   * Created by the first `on`: most SDK objects (every Message, most Members and Channels) never get a listener.
   */
  private listeners: Map<keyof Events, readonly unknown[]> | null = null;

  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): this {
    const listeners = (this.listeners ??= new Map());
    const list = listeners.get(event);
    listeners.set(event, list ? [...list, listener] : [listener]);
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
    const listeners = this.listeners;
    const list = listeners?.get(event);
    if (!listeners || !list) return this;
    const at = list.findIndex((l) => l === listener || (l as { original?: unknown }).original === listener);
    if (at < 0) return this;
    if (list.length === 1) listeners.delete(event);
    else listeners.set(event, [...list.slice(0, at), ...list.slice(at + 1)]);
    return this;
  }

  addListener<E extends keyof Events>(event: E, listener: Listener<Events[E]>): this {
    return this.on(event, listener);
  }

  removeListener<E extends keyof Events>(event: E, listener: Listener<Events[E]>): this {
    return this.off(event, listener);
  }

  removeAllListeners(event?: keyof Events): this {
    if (event === undefined) this.listeners?.clear();
    else this.listeners?.delete(event);
    return this;
  }

  listenerCount(event: keyof Events): number {
    return this.listeners?.get(event)?.length ?? 0;
  }

  /**
   * Calls every listener in registration order. A throwing listener must not break the SDK's own
   * bookkeeping (the emit usually happens in the middle of applying a server event), so its error goes
   * to `reportListenerError` and the remaining listeners still run.
   */
  emit<E extends keyof Events>(event: E, ...args: Events[E]): boolean {
    const list = this.listeners?.get(event);
    if (list === undefined) return false;
    for (let i = 0; i < list.length; i++) {
      try {
        (list[i] as Listener<Events[E]>)(...args);
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
