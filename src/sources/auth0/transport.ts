/**
 * The SDK's transport, replaced. `auth0` 7 sends every request — the client-credentials token
 * request and every Management API call — through its `fetch` option; this one:
 *
 * - rewrites `https://<domain>` to `AUTH0_BASE_URL` when set (the SDK hard-codes the origin);
 * - reads `x-ratelimit-limit` / `-remaining` / `-reset` (epoch seconds) from every answer and,
 *   once the bucket is empty, holds the next request until the reset instead of earning a 429;
 * - retries a 429 after `Retry-After` or the reset (up to {@link maxThrottledAttempts} times),
 *   5xx answers and network failures with exponential backoff (up to {@link maxAttempts});
 * - never retries a refused token request, and reports it as `SOURCE_UNAUTHORIZED`.
 *
 * The SDK is built with `maxRetries: 0`, so these are the only retries. The SDK swallows what a
 * custom `fetch` throws into its own error type, so the translated `SyncError` is also left in
 * the call's context (an `AsyncLocalStorage` owned by the reader), where the reader picks it up.
 *
 * @see /work/shared/reference/idp-apis.md §G "Rate limits", "SDK"
 */
import type { AsyncLocalStorage } from 'node:async_hooks';

import { SyncError } from '../../errors.js';
import { fetchText, type FetchFn, type RawResponse } from '../../http/fetch-json.js';
import { parseRetryAfter } from '../../http/retry-after.js';
import { backoffDelay, isRetryable, type Sleep } from '../../http/retry.js';

/** Per-call context: the caller's signal, and the failure the SDK would otherwise hide. */
export type CallContext = { readonly signal?: AbortSignal | undefined; failure?: SyncError };

/** What the transport needs. */
export type TransportDeps = {
  readonly fetch: FetchFn;
  readonly domain: string;
  readonly baseUrl?: string | undefined;
  readonly timeoutMs: number;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly now: () => number;
  readonly context: AsyncLocalStorage<CallContext>;
};

/** Calls and 429s per endpoint, and time spent waiting for the rate limit. */
export type TransportReport = {
  readonly calls: Readonly<Record<string, number>>;
  readonly throttled: Readonly<Record<string, number>>;
  readonly waitedMs: number;
};

/** The `fetch` handed to the SDK, plus its counters. */
export type Auth0Transport = {
  readonly fetch: typeof fetch;
  report(): TransportReport;
};

/** Attempts for 5xx and network failures (first try included). */
export const maxAttempts = 4;
/** Attempts for 429s: each waits for the window to reset, so a burst passes without failing. */
export const maxThrottledAttempts = 8;
/** The longest single wait for a rate-limit reset; a longer one fails the call (retryable). */
const maxWaitMs = 60_000;
const backoff = { maxAttempts, baseMs: 500, maxMs: 10_000 };

/** A JSON-typed answer whose body does not parse. */
function isBrokenJson(answer: RawResponse): boolean {
  if (!(answer.headers.get('content-type') ?? '').includes('json') || answer.text === '') {
    return false;
  }
  try {
    JSON.parse(answer.text);
    return false;
  } catch {
    return true;
  }
}

/** Creates the transport. */
export function createAuth0Transport(deps: TransportDeps): Auth0Transport {
  const calls = new Map<string, number>();
  const throttled = new Map<string, number>();
  let waitedMs = 0;
  // The tenant's bucket as last reported: empty until `resetAt` (epoch ms).
  let emptyUntil: number | undefined;
  const origin = `https://${deps.domain}`;
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  const wait = async (ms: number, signal: AbortSignal | undefined) => {
    waitedMs += ms;
    await deps.sleep(ms, signal);
  };

  const send = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const store = deps.context.getStore();
    const signal = store?.signal;
    const raw = input instanceof Request ? input.url : String(input);
    const url =
      deps.baseUrl !== undefined && raw.startsWith(origin)
        ? deps.baseUrl + raw.slice(origin.length)
        : raw;
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const label = endpointLabel(method, url);
    const isToken = label === 'POST /oauth/token';
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = bodyText(init.body);
    for (let attempt = 1; ; attempt += 1) {
      if (emptyUntil !== undefined && emptyUntil > deps.now()) {
        const ms = emptyUntil - deps.now();
        if (ms > maxWaitMs) {
          throw remember(store, limited(label, ms));
        }
        await wait(ms, signal);
      }
      count(calls, label);
      let answer: RawResponse;
      try {
        answer = await fetchText(deps.fetch, {
          url,
          method,
          headers,
          body,
          timeoutMs: deps.timeoutMs,
          signal,
          endpoint: label,
          unavailableCode: 'SOURCE_UNAVAILABLE',
        });
      } catch (error) {
        if (attempt < maxAttempts && isRetryable(error)) {
          await wait(backoffDelay(attempt, backoff, deps.random), signal);
          continue;
        }
        throw remember(
          store,
          error instanceof SyncError ? error : new SyncError('SOURCE_UNAVAILABLE', String(error)),
        );
      }
      const resetAt = readLimits(answer.headers);
      if (resetAt !== undefined) {
        emptyUntil = resetAt.remaining <= 0 ? resetAt.at : undefined;
      }
      if (answer.status === 429) {
        count(throttled, label);
        const retryAfter = parseRetryAfter(answer.headers.get('retry-after'), deps.now());
        const ms =
          retryAfter ?? (resetAt === undefined ? undefined : Math.max(0, resetAt.at - deps.now()));
        if (attempt < maxThrottledAttempts && (ms === undefined || ms <= maxWaitMs)) {
          // A reset already waited for above must not be waited for twice.
          emptyUntil = undefined;
          await wait(ms ?? backoffDelay(attempt, backoff, deps.random), signal);
          continue;
        }
        throw remember(store, limited(label, ms, attempt, answer));
      }
      if (answer.status >= 500 && attempt < maxAttempts) {
        await wait(backoffDelay(attempt, backoff, deps.random), signal);
        continue;
      }
      if (isToken && answer.status >= 400) {
        throw remember(store, tokenRefused(answer));
      }
      if (answer.status < 300 && isBrokenJson(answer)) {
        // The SDK's pager reads a body it cannot parse as an empty page: a cut-off roles page
        // would pass for "no roles" and deprovision everyone (issue 11).
        throw remember(
          store,
          new SyncError('SOURCE_INVALID_RESPONSE', `${label} returned a body that is not JSON`, {
            endpoint: label,
            status: answer.status,
          }),
        );
      }
      return new Response(answer.status === 204 || answer.text === '' ? null : answer.text, {
        status: answer.status,
        headers: answer.headers,
      });
    }
  };

  return {
    fetch: send,
    report: () => ({
      calls: Object.fromEntries(calls),
      throttled: Object.fromEntries(throttled),
      waitedMs,
    }),
  };
}

/** `GET /api/v2/roles/{id}/users`: ids collapsed, so counters group by endpoint. */
export function endpointLabel(method: string, url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  const template = path
    .split('/')
    .map((segment, index, all) => (isIdSegment(all[index - 1], segment) ? '{id}' : segment))
    .join('/');
  return `${method} ${template}`;
}

const collections = new Set(['roles', 'organizations', 'users', 'jobs', 'exports']);

function isIdSegment(previous: string | undefined, segment: string): boolean {
  return (
    previous !== undefined &&
    collections.has(previous) &&
    segment !== '' &&
    !collections.has(segment)
  );
}

function bodyText(body: RequestInit['body']): string | undefined {
  if (body === undefined || body === null) {
    return undefined;
  }
  if (typeof body === 'string') {
    return body;
  }
  if (body instanceof URLSearchParams) {
    return body.toString();
  }
  // The SDK sends JSON and form bodies as strings; anything else would be silently dropped.
  throw new SyncError('SOURCE_INVALID_RESPONSE', 'auth0 transport: unsupported request body type');
}

/** The bucket's state, when the answer carries Auth0's rate-limit headers. */
function readLimits(headers: Headers): { remaining: number; at: number } | undefined {
  const remaining = Number(headers.get('x-ratelimit-remaining') ?? Number.NaN);
  const reset = Number(headers.get('x-ratelimit-reset') ?? Number.NaN);
  if (!Number.isFinite(remaining) || !Number.isFinite(reset)) {
    return undefined;
  }
  return { remaining, at: reset * 1000 };
}

function remember(store: CallContext | undefined, error: SyncError): SyncError {
  if (store !== undefined) {
    store.failure = error;
  }
  return error;
}

function limited(
  label: string,
  retryAfterMs: number | undefined,
  attempts?: number,
  answer?: RawResponse,
): SyncError {
  const said = answer === undefined ? '' : ` (${describeError(answer)})`;
  const how =
    attempts === undefined
      ? 'the rate-limit window resets too far ahead'
      : `still rate limited after ${attempts} attempts`;
  return new SyncError('SOURCE_RATE_LIMITED', `Auth0 ${label}: ${how}${said}`, {
    status: 429,
    endpoint: label,
    retryAfterMs,
  });
}

/** `access_denied: Unauthorized` and what to check. */
function tokenRefused(answer: RawResponse): SyncError {
  return new SyncError(
    'SOURCE_UNAUTHORIZED',
    `Auth0 refused the client-credentials token request (${describeError(answer)}); check AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET and AUTH0_DOMAIN, and that the application is authorised for the Management API with read:users, read:roles and read:organizations`,
    { endpoint: 'POST /oauth/token' },
  );
}

/** The error of an Auth0 answer: OAuth `error` / Management `errorCode` and message. */
export function describeError(answer: RawResponse): string {
  try {
    const body = JSON.parse(answer.text) as Record<string, unknown>;
    const code = body['error'] ?? body['errorCode'];
    const message = body['error_description'] ?? body['message'];
    if (typeof code === 'string') {
      return `${answer.status} ${code}${typeof message === 'string' ? `: ${message}` : ''}`;
    }
  } catch {
    // Not JSON: a proxy's page; the status says enough.
  }
  return `HTTP ${answer.status}`;
}
