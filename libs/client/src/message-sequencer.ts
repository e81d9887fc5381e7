export interface Indexed {
  index: number;
}

/**
 * Per-channel ordered delivery, as pure state: it decides which messages may be handed to the app
 * (`messageAdded`) now, strictly in index order, each once.
 *
 * `lastIndex` is the highest index up to which the sequence is settled: every index ≤ lastIndex was
 * delivered, known removed, or proven not to exist by an authoritative fetch. Later messages wait in
 * `pending` until the sequence reaches them. `null` means "nothing yet": the next expected index is 0.
 *
 * Events that cannot be delivered yet are absorbed instead: an update of a pending message replaces it
 * (the app will get the new version as the add), a removal of a pending or future message leaves a
 * tombstone (the app never sees it, and the hole it leaves does not count as a gap).
 */
export class MessageSequencer<T extends Indexed> {
  private last: number | null;
  private readonly pending = new Map<number, T>();
  private readonly tombstones = new Set<number>();

  constructor(lastIndex: number | null) {
    this.last = lastIndex;
  }

  get lastIndex(): number | null {
    return this.last;
  }

  get expected(): number {
    return this.last === null ? 0 : this.last + 1;
  }

  /** Something after `lastIndex` is waiting for a missing index. */
  get hasGap(): boolean {
    return this.pending.size > 0 || this.tombstones.size > 0;
  }

  /** Highest index waiting (pending or tombstoned), or null. */
  get waitingMax(): number | null {
    let max: number | null = null;
    for (const i of this.pending.keys()) if (max === null || i > max) max = i;
    for (const i of this.tombstones) if (max === null || i > max) max = i;
    return max;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** A new message: returns what may be delivered now, in order (empty for duplicates and early arrivals). */
  add(item: T): T[] {
    const i = item.index;
    const expected = this.expected;
    // The usual case: the next message, nothing waiting. Delivered at once (what drain() would return).
    if (i === expected && this.pending.size === 0 && this.tombstones.size === 0) {
      this.last = i;
      return [item];
    }
    if (i < expected || this.tombstones.has(i) || this.pending.has(i)) return [];
    this.pending.set(i, item);
    return this.drain();
  }

  /**
   * An edited message. `emitUpdate`: the app already has it (emit `messageUpdated`). Otherwise the new
   * version is kept as the pending add (it may even complete the sequence: `deliver`).
   */
  update(item: T): { emitUpdate: boolean; deliver: T[] } {
    const i = item.index;
    if (i < this.expected) return { emitUpdate: true, deliver: [] };
    if (this.tombstones.has(i)) return { emitUpdate: false, deliver: [] };
    this.pending.set(i, item);
    return { emitUpdate: false, deliver: this.drain() };
  }

  /** A deleted message. `emitRemove`: the app had it. Otherwise it will never be delivered. */
  remove(index: number): { emitRemove: boolean; deliver: T[] } {
    if (index < this.expected) return { emitRemove: true, deliver: [] };
    this.pending.delete(index);
    this.tombstones.add(index);
    return { emitRemove: false, deliver: this.drain() };
  }

  /**
   * An authoritative answer: `items` are all the messages with from ≤ index ≤ completeThrough
   * (ascending, possibly followed by later ones). Indexes of that range absent from it do not exist
   * (deleted), so the sequence may move past them.
   */
  fill(from: number, items: readonly T[], completeThrough: number | null): T[] {
    for (const item of items) {
      const i = item.index;
      if (i < this.expected || this.tombstones.has(i) || this.pending.has(i)) continue;
      this.pending.set(i, item);
    }
    const out: T[] = [];
    // A range that starts after `expected` says nothing about the indexes before it.
    if (completeThrough !== null && from <= this.expected && completeThrough >= this.expected) {
      const settled = [...this.pending.keys()].filter((i) => i <= completeThrough).sort((a, b) => a - b);
      for (const i of settled) {
        out.push(this.pending.get(i) as T);
        this.pending.delete(i);
      }
      for (const i of [...this.tombstones]) if (i <= completeThrough) this.tombstones.delete(i);
      this.last = completeThrough;
    }
    out.push(...this.drain());
    return out;
  }

  /**
   * Starts over after `lastIndex` (recovery was impossible: the app reloads pages). Waiting messages
   * up to it are dropped, later ones stay and are delivered in order once contiguous.
   */
  rebase(lastIndex: number | null): T[] {
    this.last = lastIndex;
    const floor = this.expected;
    for (const i of [...this.pending.keys()]) if (i < floor) this.pending.delete(i);
    for (const i of [...this.tombstones]) if (i < floor) this.tombstones.delete(i);
    return this.drain();
  }

  private drain(): T[] {
    const out: T[] = [];
    for (;;) {
      const next = this.expected;
      const item = this.pending.get(next);
      if (item !== undefined) {
        this.pending.delete(next);
        out.push(item);
      } else if (this.tombstones.has(next)) {
        this.tombstones.delete(next);
      } else {
        return out;
      }
      this.last = next;
    }
  }
}
