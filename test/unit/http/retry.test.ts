import { describe, expect, it, vi } from 'vitest';
import { SyncError } from '../../../src/errors.js';
import {
  abortableSleep,
  backoffDelay,
  defaultRetryPolicy,
  isRetryable,
  withRetry,
} from '../../../src/http/retry.js';

const unavailable = (): SyncError => new SyncError('TARGET_UNAVAILABLE', 'HTTP 503');
const rejected = (): SyncError => new SyncError('TARGET_REJECTED', 'HTTP 400');

/** Fails with the given errors in turn, then succeeds with 'ok'. */
function failing(...errors: Error[]): { fn: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    fn: () => {
      const error = errors[calls];
      calls += 1;
      return error === undefined ? Promise.resolve('ok') : Promise.reject(error);
    },
    calls: () => calls,
  };
}

function recordingSleep(): { sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: ms => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
}

describe('backoffDelay', () => {
  it('is full jitter: bounded by min(maxMs, baseMs * 2^(n-1))', () => {
    const policy = defaultRetryPolicy;
    expect(backoffDelay(1, policy, () => 0)).toBe(0);
    expect(backoffDelay(1, policy, () => 0.999_999)).toBeLessThan(200);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
    expect(backoffDelay(20, policy, () => 0.999_999)).toBeLessThan(30_000);
    expect(backoffDelay(20, policy, () => 0.999_999)).toBeGreaterThan(29_000);
  });

  it('stays within the bound for any random value', () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const ceiling = Math.min(30_000, 200 * 2 ** (attempt - 1));
      for (const r of [0, 0.1, 0.5, 0.9, 0.999_999]) {
        const delay = backoffDelay(attempt, defaultRetryPolicy, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });
});

describe('withRetry', () => {
  it('retries retryable errors with growing jittered waits, then succeeds', async () => {
    const { fn, calls } = failing(unavailable(), unavailable());
    const { sleep, sleeps } = recordingSleep();
    await expect(withRetry(fn, {}, { sleep, random: () => 0.5 })).resolves.toBe('ok');
    expect(calls()).toBe(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it('gives up after maxAttempts and throws the last error', async () => {
    const last = unavailable();
    const { fn, calls } = failing(unavailable(), unavailable(), last);
    const { sleep } = recordingSleep();
    await expect(withRetry(fn, { maxAttempts: 3 }, { sleep })).rejects.toBe(last);
    expect(calls()).toBe(3);
  });

  it('defaults to 5 attempts', async () => {
    const { fn, calls } = failing(...Array.from({ length: 10 }, unavailable));
    const { sleep } = recordingSleep();
    await expect(withRetry(fn, {}, { sleep })).rejects.toBeInstanceOf(SyncError);
    expect(calls()).toBe(5);
  });

  it('does not retry a non-retryable error', async () => {
    const { fn, calls } = failing(rejected());
    await expect(withRetry(fn, {}, { sleep: () => Promise.resolve() })).rejects.toMatchObject({
      code: 'TARGET_REJECTED',
    });
    expect(calls()).toBe(1);
  });

  it('waits what Retry-After asked for (plus jitter below baseMs)', async () => {
    const limited = new SyncError('TARGET_RATE_LIMITED', 'slow down', { retryAfterMs: 1500 });
    const { fn } = failing(limited);
    const { sleep, sleeps } = recordingSleep();
    await withRetry(fn, {}, { sleep, random: () => 0 });
    expect(sleeps).toEqual([1500]);
    const again = failing(limited);
    const second = recordingSleep();
    await withRetry(again.fn, {}, { sleep: second.sleep, random: () => 0.5 });
    expect(second.sleeps).toEqual([1600]);
  });

  it('gives up at once when Retry-After exceeds maxMs', async () => {
    const limited = new SyncError('TARGET_RATE_LIMITED', 'slow down', { retryAfterMs: 60_000 });
    const { fn, calls } = failing(limited);
    const { sleep, sleeps } = recordingSleep();
    await expect(withRetry(fn, {}, { sleep })).rejects.toBe(limited);
    expect(calls()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('retries raw network failures and timeouts', async () => {
    const network = new TypeError('fetch failed');
    const timeout = new DOMException('The operation timed out', 'TimeoutError');
    const { fn, calls } = failing(network, timeout);
    await expect(withRetry(fn, {}, { sleep: () => Promise.resolve() })).resolves.toBe('ok');
    expect(calls()).toBe(3);
  });

  it('stops retrying when the signal aborts during the wait', async () => {
    const controller = new AbortController();
    const { fn, calls } = failing(unavailable(), unavailable(), unavailable());
    const promise = withRetry(
      fn,
      { baseMs: 10_000 },
      { signal: controller.signal, random: () => 0.9 },
    );
    await vi.waitFor(() => expect(calls()).toBe(1));
    controller.abort();
    await expect(promise).rejects.toMatchObject({ code: 'ABORTED' });
    expect(calls()).toBe(1);
  });

  it('does not start when the signal is already aborted', async () => {
    const { fn, calls } = failing();
    await expect(withRetry(fn, {}, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(calls()).toBe(0);
  });

  it('does not retry after an abort even if the sleep ignores the signal', async () => {
    const controller = new AbortController();
    let calls = 0;
    const fn = (): Promise<string> => {
      calls += 1;
      controller.abort();
      return Promise.reject(unavailable());
    };
    await expect(
      withRetry(fn, {}, { signal: controller.signal, sleep: () => Promise.resolve() }),
    ).rejects.toMatchObject({ code: 'TARGET_UNAVAILABLE' });
    expect(calls).toBe(1);
  });

  it('reports each retry to onRetry', async () => {
    const { fn } = failing(unavailable());
    const onRetry = vi.fn();
    await withRetry(fn, {}, { sleep: () => Promise.resolve(), random: () => 0, onRetry });
    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ attempt: 1, delayMs: 0 }));
  });
});

describe('isRetryable', () => {
  it('follows SyncError.retryable and recognises raw network errors only', () => {
    expect(isRetryable(unavailable())).toBe(true);
    expect(isRetryable(rejected())).toBe(false);
    expect(isRetryable(new TypeError('fetch failed'))).toBe(true);
    expect(isRetryable(new TypeError('x is not a function'))).toBe(false);
    expect(isRetryable(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(isRetryable('boom')).toBe(false);
  });
});

describe('abortableSleep', () => {
  it('resolves after the delay', async () => {
    await expect(abortableSleep(1)).resolves.toBeUndefined();
  });

  it('rejects with ABORTED when the signal fires', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
