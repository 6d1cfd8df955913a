/** How often a cache answered: what a lookup cache is worth is its hit rate on real traffic. */
export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
}

/**
 * A memo of a pure lookup with at most `limit` entries: the oldest entry goes first (insertion
 * order), so a flood of unique keys costs a bounded amount of memory instead of growing it.
 */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly limit: number,
    private readonly compute: (key: string) => V,
  ) {}

  get(key: string): V {
    const v = this.map.get(key);
    if (v !== undefined || this.map.has(key)) {
      this.hits++;
      return v as V;
    }
    this.misses++;
    const fresh = this.compute(key);
    if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, fresh);
    return fresh;
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, size: this.map.size };
  }
}
