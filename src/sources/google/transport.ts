/**
 * The SDK's transport, replaced. `google-auth-library` builds its `Gaxios` transporter from the
 * `transporterOptions` we pass to the `JWT` client, and both the token request (`gtoken`) and
 * every Directory API call go through it; its `fetchImplementation` is this function, which
 *
 * - sends through the injected `fetch` (the source's `deps.fetch`);
 * - points the token request at `tokenUrl` when one is configured (`gtoken` hard-codes
 *   `https://oauth2.googleapis.com/token`);
 * - keeps the worker under its own queries-per-minute budget (Google's default Directory API
 *   quota is 2,400 queries per minute per user per project);
 * - retries 429 and 403 `userRateLimitExceeded` / `rateLimitExceeded` / `quotaExceeded`, waiting
 *   for `Retry-After` when sent, else exponential backoff with jitter — gaxios ignores
 *   `Retry-After` and does not retry 403s at all, so the SDK's own retry is switched off per
 *   call (`retry: false`);
 * - retries 5xx and network failures with backoff.
 *
 * When the retries run out the last answer is handed back as is, and the SDK turns it into its
 * error (translated by `errors.ts`).
 *
 * @see https://developers.google.com/admin-sdk/directory/v1/limits
 * @see /work/shared/reference/idp-apis.md §E "Errors / quotas", "Auth"
 */
import { fetchText, type FetchFn, type RawResponse } from '../../http/fetch-json.js';
import { parseRetryAfter } from '../../http/retry-after.js';
import { backoffDelay, isRetryable, type Sleep } from '../../http/retry.js';
import { googleTokenUrl } from './config.js';

/** What the transport needs. */
export type TransportDeps = {
  readonly fetch: FetchFn;
  /** Token endpoint override (a simulator); `undefined` keeps Google's. */
  readonly tokenUrl?: string | undefined;
  readonly queriesPerMinute: number;
  readonly timeoutMs: number;
  /** Epoch ms. */
  readonly now: () => number;
  readonly sleep: Sleep;
  readonly random: () => number;
};

/** Calls made, quota refusals seen and time spent waiting, for logs and tests. */
export type TransportReport = {
  readonly calls: number;
  readonly throttled: number;
  readonly waitedMs: number;
};

/** A `fetchImplementation` for gaxios, plus its counters. */
export type GoogleTransport = {
  readonly fetchImplementation: typeof fetch;
  report(): TransportReport;
};

/** Reasons Google gives for quota refusals (403 or 429). */
const quotaReasons = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded']);
/** Attempts for a throttled call (first included). */
const maxThrottledAttempts = 6;
/** Attempts for 5xx and network failures (first included). */
const maxAttempts = 4;
const throttleBackoff = { maxAttempts: maxThrottledAttempts, baseMs: 1000, maxMs: 32_000 };
const errorBackoff = { maxAttempts, baseMs: 500, maxMs: 10_000 };
const windowMs = 60_000;

/** Creates the transport. */
export function createGoogleTransport(deps: TransportDeps): GoogleTransport {
  const recent: number[] = [];
  let calls = 0;
  let throttled = 0;
  let waitedMs = 0;

  const wait = async (ms: number, signal: AbortSignal | undefined) => {
    waitedMs += ms;
    await deps.sleep(ms, signal);
  };

  /** Sliding one-minute window over this instance's calls. */
  const acquire = async (signal: AbortSignal | undefined): Promise<void> => {
    for (;;) {
      const now = deps.now();
      while (recent.length > 0 && (recent[0] ?? 0) <= now - windowMs) {
        recent.shift();
      }
      if (recent.length < deps.queriesPerMinute) {
        recent.push(now);
        return;
      }
      await wait(Math.max(1, (recent[0] ?? now) + windowMs - now), signal);
    }
  };

  const send = async (input: string | URL | Request, init: RequestInit = {}) => {
    const original = input instanceof Request ? input.url : String(input);
    const isToken = original.startsWith(googleTokenUrl);
    const url = isToken && deps.tokenUrl !== undefined ? deps.tokenUrl : original;
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = plainHeaders(init.headers);
    const body = bodyText(init.body, headers);
    const signal = init.signal ?? undefined;
    const endpoint = `${method} ${isToken ? 'token' : new URL(url).pathname}`;
    for (let attempt = 1; ; attempt += 1) {
      if (!isToken) {
        await acquire(signal);
      }
      calls += 1;
      let answer: RawResponse;
      try {
        answer = await fetchText(deps.fetch, {
          url,
          method,
          headers,
          body,
          timeoutMs: deps.timeoutMs,
          signal,
          endpoint,
          unavailableCode: 'SOURCE_UNAVAILABLE',
        });
      } catch (error) {
        if (attempt < maxAttempts && isRetryable(error)) {
          await wait(backoffDelay(attempt, errorBackoff, deps.random), signal);
          continue;
        }
        throw error;
      }
      if (isQuotaRefusal(answer)) {
        throttled += 1;
        if (attempt < maxThrottledAttempts) {
          const asked = parseRetryAfter(answer.headers.get('retry-after'), deps.now());
          await wait(asked ?? backoffDelay(attempt, throttleBackoff, deps.random) + 1000, signal);
          continue;
        }
      } else if (answer.status >= 500 && attempt < maxAttempts) {
        await wait(backoffDelay(attempt, errorBackoff, deps.random), signal);
        continue;
      }
      return toResponse(answer, url);
    }
  };

  return {
    fetchImplementation: send,
    report: () => ({ calls, throttled, waitedMs }),
  };
}

/** 429, or a 403 whose reason is a quota (a 403 for missing rights is not retried). */
export function isQuotaRefusal(answer: Pick<RawResponse, 'status' | 'text'>): boolean {
  if (answer.status === 429) {
    return true;
  }
  if (answer.status !== 403) {
    return false;
  }
  return googleErrorReasons(answer.text).some(reason => quotaReasons.has(reason));
}

/** The `error.errors[].reason` values of a Google JSON error body. */
export function googleErrorReasons(text: string): string[] {
  try {
    const body = JSON.parse(text) as { error?: { errors?: { reason?: unknown }[] } };
    return (body.error?.errors ?? [])
      .map(entry => entry.reason)
      .filter((reason): reason is string => typeof reason === 'string');
  } catch {
    return [];
  }
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    result[name] = value;
  });
  return result;
}

/** gaxios hands the token request's form as `URLSearchParams`; everything else is a string. */
function bodyText(body: RequestInit['body'], headers: Record<string, string>): string | undefined {
  if (typeof body === 'string') {
    return body;
  }
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    return body.toString();
  }
  return undefined;
}

/** Rebuilds a `Response` from the text already read. */
function toResponse(answer: RawResponse, url: string): Response {
  const empty = answer.status === 204 || answer.status === 304 || answer.text === '';
  const response = new Response(empty ? null : answer.text, {
    status: answer.status,
    headers: answer.headers,
  });
  Object.defineProperty(response, 'url', { value: url });
  return response;
}
