/**
 * Counters by key (calls by endpoint, 429s by endpoint, resource units), which tests and
 * benchmarks read through the simulator handles.
 */

/** Running totals by key. */
export type Tally = {
  add(key: string, by?: number): void;
  /** A snapshot as a plain object, in first-counted order. */
  toRecord(): Record<string, number>;
  /** The sum over all keys. */
  total(): number;
  clear(): void;
};

/** Creates an empty tally. */
export function createTally(): Tally {
  const counts = new Map<string, number>();
  return {
    add: (key, by = 1) => {
      counts.set(key, (counts.get(key) ?? 0) + by);
    },
    toRecord: () => Object.fromEntries(counts),
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    clear: () => counts.clear(),
  };
}
