/**
 * String interning for large reads. A parsed JSON page or a SQLite row makes a new string for
 * every occurrence of an id: at L the same 100,000 user ids and 5,000 team ids appeared as
 * ~1.6 million separate strings across the LiteLLM read and the store's grants, ~100 MB of the
 * no-op run's heap (BENCHMARKS.md). An interner hands back one shared copy per distinct value.
 * Make one per read and drop it with the read: it holds every string it has seen.
 */
export type Interner = <T extends string>(value: T) => T;

/** Creates an interner whose pool lives as long as the returned function. */
export function createInterner(): Interner {
  const pool = new Map<string, string>();
  return <T extends string>(value: T): T => {
    const known = pool.get(value);
    if (known !== undefined) {
      return known as T;
    }
    pool.set(value, value);
    return value;
  };
}
