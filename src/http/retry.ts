/**
 * Retrying transient failures: exponential backoff with full jitter, `Retry-After` honoured.
 *
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/ (full jitter)
 */
import { SyncError } from '../errors.js';

/** How hard {@link withRetry} tries. */
export type RetryPolicy = {
  /** Total attempts including the first one. @defaultValue 5 */
  readonly maxAttempts: number;
  /** Backoff ceiling of the first retry; doubles per retry. @defaultValue 200 */
  readonly baseMs: number;
  /** Upper bound of any single wait. @defaultValue 30000 */
  readonly maxMs: number;
};

/** The policy used for every field the caller leaves out. */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseMs: 200, maxMs: 30_000 };

/** Waits `ms`; rejects early when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** What {@link withRetry} tells `onRetry` before each wait. */
export type RetryEvent = {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
};

/** Injectable time and randomness, plus the caller's cancellation. */
export type RetryOptions = {
  readonly signal?: AbortSignal | undefined;
  readonly sleep?: Sleep | undefined;
  /** Returns a number in [0, 1); `Math.random` by default. */
  readonly random?: (() => number) | undefined;
  /** Called before every wait, e.g. to log the retry. */
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
};

/** A `setTimeout`-based {@link Sleep} that stops waiting when the signal aborts. */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortedError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Whether a failure may go away on its own: a retryable {@link SyncError}, or a raw network
 * failure / timeout that no translator has seen yet. A caller's abort is never retryable.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof SyncError) {
    return error.retryable;
  }
  if (!(error instanceof Error)) {
    return false;
  }
  // undici reports every connection-level failure as `TypeError: fetch failed`.
  return (
    error.name === 'TimeoutError' ||
    (error instanceof TypeError && error.message === 'fetch failed')
  );
}

/**
 * The full-jitter wait before retry number `attempt` (1 = first retry):
 * uniform in [0, min(maxMs, baseMs·2^(attempt-1))).
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Runs `fn` until it succeeds, fails permanently, runs out of attempts, or `signal` aborts.
 *
 * A `retryAfterMs` on the error replaces the backoff: we wait at least that long, plus up to
 * `baseMs` of jitter so that parallel callers told the same thing do not return in lockstep.
 * A server asking for more than `maxMs` is not having a blip; waiting less would only earn
 * another refusal, so the error is thrown at once and the caller's job-level retry takes over.
 *
 * @param fn - one attempt; receives the attempt number (1-based)
 * @throws the last error of `fn`, or `SyncError('ABORTED')` when `signal` aborts between attempts
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: Partial<RetryPolicy> = {},
  options: RetryOptions = {},
): Promise<T> {
  const effective: RetryPolicy = { ...defaultRetryPolicy, ...policy };
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt += 1) {
    throwIfAborted(options.signal);
    try {
      return await fn(attempt);
    } catch (error) {
      if (
        attempt >= effective.maxAttempts ||
        !isRetryable(error) ||
        options.signal?.aborted === true
      ) {
        throw error;
      }
      const delayMs = retryDelay(error, attempt, effective, random);
      if (delayMs === undefined) {
        throw error;
      }
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}

function retryDelay(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): number | undefined {
  const retryAfterMs = error instanceof SyncError ? error.retryAfterMs : undefined;
  if (retryAfterMs === undefined) {
    return backoffDelay(attempt, policy, random);
  }
  if (retryAfterMs > policy.maxMs) {
    return undefined;
  }
  return retryAfterMs + Math.floor(random() * policy.baseMs);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw abortedError(signal);
  }
}

function abortedError(signal: AbortSignal | undefined): SyncError {
  return new SyncError('ABORTED', 'Operation aborted', { cause: signal?.reason });
}
