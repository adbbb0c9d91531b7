/**
 * Runs work for the same key one at a time, and work for different keys in parallel.
 *
 * LiteLLM rewrites a team's `members_with_roles` by read-modify-write, so two concurrent member
 * changes on one team can lose one of them; the applier serialises them per team with this.
 */
export type KeyedMutex = <T>(key: string, fn: () => Promise<T>) => Promise<T>;

/** Creates a mutex whose queues live only as long as they have work. */
export function createKeyedMutex(): KeyedMutex {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const current = previous.then(fn, fn);
    const tail = current.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (tails.get(key) === tail) {
        tails.delete(key);
      }
    }
  };
}
