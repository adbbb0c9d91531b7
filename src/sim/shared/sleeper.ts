/**
 * Delays (fixed latency, hanging faults) that a simulator's `close()` can cut short, so closing
 * never waits for a long `hangMs` and no timer keeps the process alive afterwards.
 */

/** Pending delays of one simulator. */
export type Sleeper = {
  sleep(ms: number): Promise<void>;
  /** Resolves every pending delay now. */
  cancelAll(): void;
};

/** Creates a sleeper with nothing pending. */
export function createSleeper(): Sleeper {
  const pending = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  return {
    sleep: ms =>
      new Promise<void>(resolve => {
        const entry = {
          timer: setTimeout(() => {
            pending.delete(entry);
            resolve();
          }, ms),
          resolve,
        };
        pending.add(entry);
      }),
    cancelAll: () => {
      for (const entry of pending) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      pending.clear();
    },
  };
}
