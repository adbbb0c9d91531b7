/**
 * Graph throttling, as a graph-client middleware that replaces its RetryHandler: `Retry-After`
 * honoured on 429/503/504 (seconds, fractional seconds or an HTTP date), a slower pace while
 * Graph reports `x-ms-throttle-limit-percentage`, `x-ms-throttle-priority` on request, and the
 * resource units of every call counted.
 *
 * @see https://learn.microsoft.com/graph/throttling
 * @see https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits
 */
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

import { abortableSleep, withRetry, type RetryPolicy, type Sleep } from '../../http/retry.js';
import { callOptionsOf, endpointOf, headerRecord, requestUrl } from './middleware.js';

/** What one source instance spent on Graph since the last {@link Throttle.reset}. */
export type GraphUsage = {
  /** HTTP requests sent, retries included (a `$batch` counts once). */
  requests: number;
  /** Requests carried inside `$batch` envelopes, retries included. */
  batchedRequests: number;
  /** Sum of `x-ms-resource-unit` over all responses, inner `$batch` responses included. */
  resourceUnits: number;
  /** Responses (outer or inner) that were 429, 503 or 504. */
  throttled: number;
  /** Highest `x-ms-throttle-limit-percentage` seen (0 when Graph never sent it). */
  peakLimitPercentage: number;
};

/** Statuses Graph asks us to retry later; the same set graph-client's RetryHandler retries. */
export const throttledStatuses: ReadonlySet<number> = new Set([429, 503, 504]);

/** Attempts and waits for one request. Graph buckets refill within 10 s, some limits in 150 s. */
export const graphRetryPolicy: RetryPolicy = { maxAttempts: 6, baseMs: 200, maxMs: 150_000 };

/** Above this share of its limit Graph starts reporting `x-ms-throttle-limit-percentage`. */
const warningLevel = 0.8;

/**
 * Usage counters and the pace shared by every request of one source. Requests are spaced
 * `paceMs` apart while Graph reports a limit percentage (0.8 → 100 ms, 1.0 → 300 ms, capped
 * at 1 s); the pace drops back to none on the first response without the header.
 */
export class Throttle {
  usage: GraphUsage = emptyUsage();
  private paceMs = 0;
  private nextSlot = 0;
  private readonly sleep: Sleep;

  constructor(sleep: Sleep = abortableSleep) {
    this.sleep = sleep;
  }

  reset(): void {
    this.usage = emptyUsage();
  }

  /** Waits for this request's slot when Graph has asked us to slow down. */
  async pace(signal: AbortSignal | undefined): Promise<void> {
    if (this.paceMs === 0) {
      return;
    }
    const now = Date.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + this.paceMs;
    if (at > now) {
      await this.sleep(at - now, signal);
    }
  }

  /** Counts one response (`inner`: one of a `$batch`) and adjusts the pace from its headers. */
  observe(status: number, headers: Headers, inner = false): void {
    if (inner) {
      this.usage.batchedRequests += 1;
    } else {
      this.usage.requests += 1;
    }
    if (throttledStatuses.has(status)) {
      this.usage.throttled += 1;
    }
    const units = Number(headers.get('x-ms-resource-unit') ?? Number.NaN);
    if (Number.isFinite(units) && units > 0) {
      this.usage.resourceUnits += units;
    }
    const percentage = Number(headers.get('x-ms-throttle-limit-percentage') ?? Number.NaN);
    if (Number.isFinite(percentage) && percentage >= warningLevel) {
      this.usage.peakLimitPercentage = Math.max(this.usage.peakLimitPercentage, percentage);
      this.paceMs = Math.min(1000, Math.round((percentage - warningLevel + 0.1) * 1000));
    } else {
      this.paceMs = 0;
    }
  }
}

function emptyUsage(): GraphUsage {
  return {
    requests: 0,
    batchedRequests: 0,
    resourceUnits: 0,
    throttled: 0,
    peakLimitPercentage: 0,
  };
}

/** Turns a throttled response into the error {@link withRetry} waits on (`retryAfterMs`). */
export type ThrottledError = (response: Response, endpoint: string) => Promise<Error>;

/**
 * The middleware. It sits below authentication and telemetry, so a retry re-sends the same
 * signed request; network failures and timeouts (retryable `SyncError`s from the fetch handler)
 * are retried the same way. When attempts run out the last error is thrown.
 */
export class ThrottleHandler implements Middleware {
  private next: Middleware | undefined;
  private readonly throttle: Throttle;
  private readonly toError: ThrottledError;
  private readonly policy: RetryPolicy;
  private readonly sleep: Sleep;

  constructor(
    throttle: Throttle,
    toError: ThrottledError,
    policy: RetryPolicy = graphRetryPolicy,
    sleep: Sleep = abortableSleep,
  ) {
    this.throttle = throttle;
    this.toError = toError;
    this.policy = policy;
    this.sleep = sleep;
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (next === undefined) {
      throw new Error('ThrottleHandler must not be the last middleware');
    }
    const call = callOptionsOf(context);
    const endpoint = endpointOf(context.options?.method ?? 'GET', requestUrl(context));
    if (call?.priority !== undefined) {
      context.options = {
        ...context.options,
        headers: {
          ...headerRecord(context.options?.headers),
          'x-ms-throttle-priority': call.priority,
        },
      };
    }
    await withRetry(
      async () => {
        await this.throttle.pace(call?.signal);
        context.response = undefined;
        await next.execute(context);
        const response = context.response as Response | undefined;
        if (response === undefined) {
          throw new Error('the fetch middleware set no response');
        }
        this.throttle.observe(response.status, response.headers);
        if (throttledStatuses.has(response.status)) {
          throw await this.toError(response, endpoint);
        }
      },
      this.policy,
      { signal: call?.signal, sleep: this.sleep },
    );
  }
}
