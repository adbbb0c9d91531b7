/**
 * The rate-limit governor. Okta's limits are per minute, per endpoint bucket and org-wide: every
 * integration of the org draws on the same `X-Rate-Limit-*` counters. This worker keeps itself to
 * a share of each bucket's limit per window, learned from the headers of every answer:
 *
 * - a call may start while `used + inFlight < floor(limit × share)` (our share) and
 *   `inFlight < remaining` (never the one that tips the org into 429);
 * - otherwise it waits for an answer in flight (which may reveal a new window) or, with none in
 *   flight, sleeps until `X-Rate-Limit-Reset` (server time, via the `Date` header) plus a margin;
 * - before a bucket's window is known (first call, or after a reset) one call at a time probes it;
 * - a 429 empties the bucket until its reset.
 *
 * It also counts calls and 429s per endpoint, for the run report.
 *
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 * @see /work/shared/reference/idp-apis.md §C "Errors and rate limits"
 */
import { SyncError } from '../../errors.js';
import { abortableSleep, type Sleep } from '../../http/retry.js';
import type { Bucket, EndpointKey } from './endpoints.js';

/** Answer headers the governor reads (a `Headers` or anything with `get`). */
export type HeaderReader = { get(name: string): string | null };

/** What the governor has seen, for logs and tests. */
export type BudgetReport = {
  /** Calls by endpoint label, answered or not. */
  readonly calls: Readonly<Record<string, number>>;
  /** 429 answers by endpoint label. */
  readonly throttled: Readonly<Record<string, number>>;
  /** Time spent sleeping for a window to reset. */
  readonly waitedMs: number;
};

/** The governor shared by every request of one source. */
export type Budget = {
  /** Waits until `key`'s bucket has room, then takes a slot. */
  acquire(key: EndpointKey, signal?: AbortSignal): Promise<void>;
  /** Frees the slot and learns from the answer (`undefined` when none came back). */
  settle(key: EndpointKey, answer: { status: number; headers: HeaderReader } | undefined): void;
  /** How long until `bucket`'s window resets, when known. */
  resetInMs(bucket: Bucket): number | undefined;
  /** The server's clock as estimated from `Date` headers (epoch ms). */
  serverNow(): number;
  report(): BudgetReport;
};

/** Options of {@link createBudget}. */
export type BudgetOptions = {
  /** Share of each bucket's limit (0–1]. */
  readonly share: number;
  /** Local clock, epoch ms. */
  readonly now: () => number;
  readonly sleep?: Sleep | undefined;
  /** Extra wait past a reset, for clock granularity (`Date` has whole seconds). @defaultValue 1000 */
  readonly marginMs?: number | undefined;
};

type BucketState = {
  limit: number | undefined;
  remaining: number | undefined;
  resetAtMs: number | undefined;
  /** Our answered calls in the current window. */
  used: number;
  inFlight: number;
  /** Answers carry no rate-limit headers: nothing to govern. */
  unmetered: boolean;
  waiters: (() => void)[];
};

/** Creates a governor. */
export function createBudget(options: BudgetOptions): Budget {
  const sleep = options.sleep ?? abortableSleep;
  const marginMs = options.marginMs ?? 1000;
  const buckets = new Map<Bucket, BucketState>();
  const calls = new Map<string, number>();
  const throttled = new Map<string, number>();
  let offsetMs = 0;
  let waitedMs = 0;

  const stateOf = (bucket: Bucket): BucketState => {
    let state = buckets.get(bucket);
    if (state === undefined) {
      state = {
        limit: undefined,
        remaining: undefined,
        resetAtMs: undefined,
        used: 0,
        inFlight: 0,
        unmetered: false,
        waiters: [],
      };
      buckets.set(bucket, state);
    }
    return state;
  };
  const serverNow = () => options.now() + offsetMs;
  const changed = (state: BucketState) => new Promise<void>(resolve => state.waiters.push(resolve));
  const notify = (state: BucketState) => {
    const waiting = state.waiters.splice(0);
    waiting.forEach(resolve => resolve());
  };

  return {
    async acquire(key, signal) {
      const state = stateOf(key.bucket);
      for (;;) {
        if (signal?.aborted === true) {
          throw new SyncError('ABORTED', 'Okta read aborted', { cause: signal.reason });
        }
        if (state.resetAtMs !== undefined && serverNow() >= state.resetAtMs) {
          state.resetAtMs = undefined;
          state.remaining = undefined;
          state.used = 0;
        }
        if (state.unmetered) {
          state.inFlight += 1;
          return;
        }
        if (state.limit === undefined || state.resetAtMs === undefined) {
          if (state.inFlight === 0) {
            state.inFlight += 1;
            return;
          }
          await changed(state);
          continue;
        }
        const allowed = Math.max(1, Math.floor(state.limit * options.share));
        const room = Math.min(allowed - state.used, state.remaining ?? allowed) - state.inFlight;
        if (room > 0) {
          state.inFlight += 1;
          return;
        }
        if (state.inFlight > 0) {
          await changed(state);
          continue;
        }
        const waitMs = Math.max(0, state.resetAtMs - serverNow()) + marginMs;
        waitedMs += waitMs;
        await sleep(waitMs, signal);
      }
    },

    settle(key, answer) {
      const state = stateOf(key.bucket);
      state.inFlight = Math.max(0, state.inFlight - 1);
      calls.set(key.label, (calls.get(key.label) ?? 0) + 1);
      if (answer !== undefined) {
        learn(state, answer);
        if (answer.status === 429) {
          throttled.set(key.label, (throttled.get(key.label) ?? 0) + 1);
        }
      }
      notify(state);
    },

    resetInMs(bucket) {
      const resetAtMs = buckets.get(bucket)?.resetAtMs;
      return resetAtMs === undefined ? undefined : Math.max(0, resetAtMs - serverNow()) + marginMs;
    },
    serverNow,
    report: () => ({
      calls: Object.fromEntries(calls),
      throttled: Object.fromEntries(throttled),
      waitedMs,
    }),
  };

  function learn(state: BucketState, answer: { status: number; headers: HeaderReader }): void {
    const date = Date.parse(answer.headers.get('date') ?? '');
    if (!Number.isNaN(date)) {
      offsetMs = date - options.now();
    }
    const limit = integerHeader(answer.headers, 'x-rate-limit-limit');
    const remaining = integerHeader(answer.headers, 'x-rate-limit-remaining');
    const reset = integerHeader(answer.headers, 'x-rate-limit-reset');
    if (limit === undefined || remaining === undefined || reset === undefined) {
      // No headers (a proxy, a 5xx page): nothing learned; only a clean answer means "unmetered".
      state.unmetered = answer.status < 400 && state.limit === undefined;
      return;
    }
    state.unmetered = false;
    state.limit = limit;
    const resetAtMs = reset * 1000;
    if (state.resetAtMs === undefined || resetAtMs > state.resetAtMs) {
      state.resetAtMs = resetAtMs;
      state.used = 0;
      state.remaining = remaining;
    } else if (resetAtMs === state.resetAtMs) {
      state.remaining = Math.min(state.remaining ?? remaining, remaining);
    }
    if (resetAtMs === state.resetAtMs) {
      state.used += 1;
      if (answer.status === 429) {
        state.remaining = 0;
      }
    }
  }
}

/**
 * A header holding one integer. Okta once sent duplicated rate-limit headers (the SDK's
 * OKTA-112507 check), which fetch joins with ", "; those are ignored rather than misread.
 */
function integerHeader(headers: HeaderReader, name: string): number | undefined {
  const value = headers.get(name)?.trim();
  if (value === undefined || !/^\d+$/.test(value)) {
    return undefined;
  }
  return Number(value);
}
