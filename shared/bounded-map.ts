/** A map that forgets its oldest entries beyond `capacity` (recent dedupe ids, last errors, own writes). */
export class BoundedMap<V> {
  private readonly items = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.items.get(key);
  }

  set(key: string, value: V): void {
    this.items.delete(key);
    this.items.set(key, value);
    while (this.items.size > this.capacity) {
      const oldest = this.items.keys().next();
      if (oldest.done === true) break;
      this.items.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.items.delete(key);
  }
}
