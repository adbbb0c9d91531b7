/**
 * The hourly call budget. OneLogin allows an account 5,000 API calls an hour, shared by every
 * integration of the account; this worker keeps to `rateLimitShare` of it. Its own count lives
 * in the source's state namespace, per clock hour, so restarts and parallel runs of the same
 * source share it. The server's `X-RateLimit-*` headers, when an answer carries them (limit,
 * remaining, reset = seconds left), also hold calls back once the account's bucket is empty.
 *
 * A wait longer than {@link maxWaitMs} is not waited: the read fails as `SOURCE_RATE_LIMITED`
 * (retryable, with the delay), so the job is retried later instead of holding a worker for an hour.
 *
 * @see https://developers.onelogin.com/api-docs/2/oauth20-tokens/get-rate-limit
 */
import { SyncError } from '../../errors.js';
import type { Sleep } from '../../http/retry.js';
import type { SourceState } from '../types.js';

/** OneLogin's documented hourly allowance per account. */
export const accountCallsPerHour = 5_000;
/** The longest wait for a budget window; longer ones fail the read (retryable). */
export const maxWaitMs = 60_000;
const hourMs = 3_600_000;
const stateKey = 'budget';

/** Calls and 429s per endpoint, waits, and this hour's use of the budget. */
export type BudgetReport = {
  readonly calls: Readonly<Record<string, number>>;
  readonly throttled: Readonly<Record<string, number>>;
  readonly waitedMs: number;
  /** Calls counted in the current clock hour, and how many the share allows. */
  readonly hour: { readonly used: number; readonly allowed: number };
};

/** The governor of one source. */
export type Budget = {
  /** Waits until a call may go out (or throws when that is too far ahead); counts it. */
  acquire(label: string, signal?: AbortSignal): Promise<void>;
  /** Learns from an answer's headers; counts a 429. */
  settle(label: string, status: number, headers: Headers): void;
  /** Sleeps for `ms` on behalf of `signal`, counted as waited. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  report(): BudgetReport;
};

/** What the budget needs. */
export type BudgetDeps = {
  readonly share: number;
  readonly state: SourceState;
  readonly now: () => number;
  readonly sleep: Sleep;
};

/** Creates the budget. */
export function createBudget(deps: BudgetDeps): Budget {
  const calls = new Map<string, number>();
  const throttled = new Map<string, number>();
  let waitedMs = 0;
  let limit = accountCallsPerHour;
  // Whether this instance has seen the server's limit (it then wins over the stored one).
  let learned = false;
  let emptyUntil: number | undefined;
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const allowed = () => Math.max(1, Math.floor(limit * deps.share));
  const hour = () => {
    const start = Math.floor(deps.now() / hourMs) * hourMs;
    const stored = parseHour(deps.state.get(stateKey));
    if (!learned && stored?.limit !== undefined) {
      limit = stored.limit;
    }
    return stored?.start === start ? stored : { start, used: 0 };
  };
  const save = (start: number, used: number) =>
    deps.state.set(stateKey, JSON.stringify({ start, used, limit }));
  const wait = async (ms: number, signal?: AbortSignal) => {
    waitedMs += ms;
    await deps.sleep(ms, signal);
  };
  const tooLong = (label: string, ms: number, why: string) =>
    new SyncError(
      'SOURCE_RATE_LIMITED',
      `OneLogin ${label}: ${why}; next call possible in ${Math.ceil(ms / 1000)} s`,
      {
        endpoint: label,
        retryAfterMs: ms,
      },
    );

  return {
    async acquire(label, signal) {
      for (;;) {
        const now = deps.now();
        if (emptyUntil !== undefined && emptyUntil > now) {
          const ms = emptyUntil - now;
          if (ms > maxWaitMs) {
            throw tooLong(label, ms, "the account's hourly API limit is used up");
          }
          await wait(ms, signal);
          continue;
        }
        const current = hour();
        if (current.used >= allowed()) {
          const ms = current.start + hourMs - now;
          if (ms > maxWaitMs) {
            throw tooLong(
              label,
              ms,
              `this worker's share of the hourly API limit (${allowed()} calls) is used up; raise ONELOGIN_RATE_LIMIT_SHARE or sync less often`,
            );
          }
          await wait(ms, signal);
          continue;
        }
        save(current.start, current.used + 1);
        count(calls, label);
        return;
      }
    },
    settle(label, status, headers) {
      if (status === 429) {
        count(throttled, label);
      }
      const serverLimit = Number(headers.get('x-ratelimit-limit') ?? Number.NaN);
      const remaining = Number(headers.get('x-ratelimit-remaining') ?? Number.NaN);
      const reset = Number(headers.get('x-ratelimit-reset') ?? Number.NaN);
      if (Number.isFinite(serverLimit) && serverLimit > 0 && serverLimit !== limit) {
        // Remembered with the count, so the next instance knows the account's real allowance.
        limit = serverLimit;
        learned = true;
        const current = hour();
        save(current.start, current.used);
      }
      if (Number.isFinite(remaining) && Number.isFinite(reset)) {
        emptyUntil = remaining <= 0 ? deps.now() + reset * 1000 : undefined;
      }
    },
    wait,
    report: () => ({
      calls: Object.fromEntries(calls),
      throttled: Object.fromEntries(throttled),
      waitedMs,
      hour: { used: hour().used, allowed: allowed() },
    }),
  };
}

function parseHour(
  text: string | undefined,
): { start: number; used: number; limit?: number } | undefined {
  if (text === undefined) {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as { start?: unknown; used?: unknown; limit?: unknown };
    return typeof value.start === 'number' && typeof value.used === 'number'
      ? {
          start: value.start,
          used: value.used,
          ...(typeof value.limit === 'number' ? { limit: value.limit } : {}),
        }
      : undefined;
  } catch {
    return undefined;
  }
}
