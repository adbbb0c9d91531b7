/**
 * An AsyncIterable that runs `read` again for each iteration, so the same list can be consumed
 * twice (a retry, a second pass) and each pass sees the source as it is then.
 */
export function reiterable<T>(read: () => Promise<readonly T[]>): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      yield* await read();
    },
  };
}
