/**
 * Bounded concurrency without a dependency: a counting semaphore and an order-preserving
 * `mapLimit`. Each limiter owns its own queue, so two clients never share slots.
 */

/** Runs async work with at most `concurrency` tasks in flight; the rest wait in FIFO order. */
export type Limiter = {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly pending: number;
};

/**
 * Creates a semaphore with `concurrency` slots.
 *
 * @throws RangeError when `concurrency` is not a positive integer
 */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  let active = 0;
  const waiting: (() => void)[] = [];

  const acquire = (): Promise<void> => {
    if (active < concurrency) {
      active += 1;
      return Promise.resolve();
    }
    // The slot is handed over directly by release(), so `active` stays constant on hand-over.
    return new Promise<void>(resolve => waiting.push(resolve));
  };

  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) {
      active -= 1;
    } else {
      next();
    }
  };

  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get pending() {
      return waiting.length;
    },
  };
}

/**
 * Applies `fn` to every item with at most `concurrency` calls in flight and waits for all of
 * them. One failure does not stop the others.
 *
 * @returns one settled result per item, in input order (not completion order)
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const limiter = createLimiter(concurrency);
  return Promise.allSettled(items.map((item, index) => limiter.run(() => fn(item, index))));
}

/**
 * Like {@link mapLimit}, but fail-fast: the first failure aborts the signal every other call
 * received and rejects with that failure. For IdP reads, where one refused page makes the whole
 * read useless and the remaining calls would only spend the rate limit.
 *
 * @returns the results in input order
 */
export async function mapAll<T, R>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  fn: (item: T, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const stop = new AbortController();
  const inner = signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal]);
  const limiter = createLimiter(concurrency);
  try {
    return await Promise.all(
      items.map(item =>
        limiter.run(() => {
          inner.throwIfAborted();
          return fn(item, inner);
        }),
      ),
    );
  } catch (error) {
    stop.abort(error);
    throw error;
  }
}
