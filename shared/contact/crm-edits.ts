/**
 * Pending edits of one CRM array (emails, phones, websites or addresses), collected by the
 * merge and applied in one go, so indices from the slot map stay valid while collecting.
 * Only entries that fill an Exchange slot are ever set or removed; everything else (overflow,
 * the user's types) is copied unchanged. New entries go right after the last entry that is in
 * the window, before any overflow entry, so the next projection puts them in a slot and the
 * overflow stays overflow.
 */
export class CrmArrayEdits<Entry, Value> {
  private readonly sets = new Map<number, Value>();
  private readonly removals = new Set<number>();
  private readonly inserts: Entry[] = [];

  constructor(
    /** the CRM indices that fill a slot of this array */
    private readonly windowIndices: readonly number[],
  ) {}

  set(index: number, value: Value): void {
    this.sets.set(index, value);
  }

  remove(index: number): void {
    this.removals.add(index);
  }

  insert(entry: Entry): void {
    this.inserts.push(entry);
  }

  get isEmpty(): boolean {
    return this.sets.size === 0 && this.removals.size === 0 && this.inserts.length === 0;
  }

  apply(entries: readonly Entry[], withValue: (entry: Entry, value: Value) => Entry): Entry[] {
    if (this.isEmpty) return [...entries];
    const anchor = Math.max(-1, ...this.windowIndices);
    const result: Entry[] = anchor === -1 ? [...this.inserts] : [];
    for (const [index, entry] of entries.entries()) {
      const value = this.sets.get(index);
      if (!this.removals.has(index)) result.push(value === undefined ? entry : withValue(entry, value));
      if (index === anchor) result.push(...this.inserts);
    }
    return result;
  }
}
