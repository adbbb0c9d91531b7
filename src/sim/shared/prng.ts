/**
 * Seeded pseudo-random numbers (mulberry32). Every simulator draws ids, generated directories and
 * probabilistic faults from one of these, so a run repeats exactly for the same seed.
 */

/**
 * A seeded random source. Its members are plain functions, not methods, so they can be handed
 * around detached (`createFaultInjector(prng.next)`).
 */
export type Prng = {
  /** Uniform in [0, 1). */
  readonly next: () => number;
  /** Integer in [0, n). */
  readonly int: (n: number) => number;
  /** A version-4-shaped GUID, e.g. for object ids. */
  readonly guid: () => string;
};

/** Creates a PRNG from a 32-bit seed (mulberry32: small, fast and good enough for tests). */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (digits: number): string =>
    Array.from({ length: digits }, () => Math.floor(next() * 16).toString(16)).join('');
  return {
    next,
    int: n => Math.floor(next() * n),
    guid: () =>
      `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(next() * 4)] ?? '8'}${hex(3)}-${hex(12)}`,
  };
}
