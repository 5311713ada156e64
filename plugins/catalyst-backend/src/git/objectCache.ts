/**
 * A size-bounded LRU for Git objects. Objects are addressed by their content hash, so a cached entry
 * is never stale: the only question is memory, bounded by `maxBytes`.
 */
export class ObjectCache<V> {
  private readonly map = new Map<string, { value: V; size: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number, private readonly sizeOf: (v: V) => number) {}

  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    // refresh recency: Map iteration order is insertion order
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  delete(key: string): void {
    const old = this.map.get(key);
    if (!old) return;
    this.bytes -= old.size;
    this.map.delete(key);
  }

  set(key: string, value: V): void {
    const size = this.sizeOf(value);
    if (size > this.maxBytes / 4) return; // one huge object must not flush everything
    const old = this.map.get(key);
    if (old) {
      this.bytes -= old.size;
      this.map.delete(key);
    }
    this.map.set(key, { value, size });
    this.bytes += size;
    for (const [k, v] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= v.size;
    }
  }
}
