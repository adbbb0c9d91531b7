/**
 * A virtual clock shared by the simulator and a client in the same process, so that per-minute
 * rate limits can be exercised without waiting minutes: sleeping moves time forward instead of
 * blocking. Both sides read the same `now`, so `Date`, `X-Rate-Limit-Reset` and the client's waits
 * stay consistent.
 */

/** Time that only moves when someone sleeps or advances it. */
export type VirtualClock = {
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** Moves time forward by `ms` (never backwards). */
  readonly advance: (ms: number) => void;
  /**
   * Resolves on the next macrotask after moving time to at least `now + ms`. Concurrent sleepers
   * waiting for the same instant move time once, not once each.
   */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Total time moved by sleeps and advances. */
  readonly elapsedMs: number;
};

/** Creates a virtual clock starting at `startMs` (default 2026-01-05T09:00:00Z). */
export function createVirtualClock(startMs = Date.UTC(2026, 0, 5, 9, 0, 0)): VirtualClock {
  let current = startMs;
  return {
    now: () => current,
    advance: ms => {
      current += Math.max(0, ms);
    },
    sleep: (ms, signal) => {
      const target = current + Math.max(0, ms);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted === true) {
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
          return;
        }
        current = Math.max(current, target);
        setImmediate(resolve);
      });
    },
    get elapsedMs() {
      return current - startMs;
    },
  };
}
