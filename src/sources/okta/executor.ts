/**
 * The SDK's transport, replaced. `@okta/okta-sdk-nodejs` sends every request — API calls, paging
 * follow-ups and the OAuth token request — through its `requestExecutor`; this one sends them
 * through the injected `fetch` under the rate-limit governor, so the budget sees the
 * `X-Rate-Limit-*` headers of every answer, and retries what is worth retrying:
 *
 * - 429: after the bucket's reset (the governor holds the next attempt until then);
 * - 5xx, network failures and timeouts: exponential backoff with jitter (the SDK retries none);
 * - a failed token request: never; it becomes a clear `SOURCE_UNAUTHORIZED` naming the OAuth
 *   error, which the SDK's own error type would drop (it only keeps Okta's E-code fields).
 *
 * The SDK's default executor is not used: it retries only 429s, with real-time `setTimeout`s and
 * no cancellation. The caller's `AbortSignal` reaches each request through an
 * `AsyncLocalStorage` owned by the client, because the SDK's API methods take no signal.
 *
 * @see /work/shared/reference/idp-apis.md §C "SDK", "Errors and rate limits"
 */
import type { AsyncLocalStorage } from 'node:async_hooks';

import { RequestExecutor } from '@okta/okta-sdk-nodejs';

import { SyncError } from '../../errors.js';
import { fetchText, type FetchFn, type RawResponse } from '../../http/fetch-json.js';
import { backoffDelay, isRetryable, type Sleep } from '../../http/retry.js';
import type { Budget } from './budget.js';
import type { PageGuard } from '../page-guard.js';
import { endpointKey, type EndpointKey } from './endpoints.js';

/** Per-call context carried to the executor (the SDK passes no signal). */
export type CallContext = {
  readonly signal?: AbortSignal | undefined;
  /**
   * Set for a list read: the SDK follows `Link` headers on its own, so the executor is where a
   * paging loop shows (a page URL requested twice) and where a page that is not a JSON array
   * (`{}`, which the SDK would take for an empty last page) is refused.
   */
  readonly listing?: PageGuard | undefined;
};

/** What the executor needs. */
export type ExecutorDeps = {
  readonly fetch: FetchFn;
  readonly budget: Budget;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly timeoutMs: number;
  readonly context: AsyncLocalStorage<CallContext>;
};

/** The fields of the SDK's request object this executor reads. */
type SdkRequest = {
  readonly url?: unknown;
  readonly method?: unknown;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
};

/** Attempts for 5xx and network failures (first try included). */
const maxAttempts = 4;
/** Attempts for 429s: each waits for a window reset, so a storm passes without failing the run. */
const maxThrottledAttempts = 10;
const backoff = { maxAttempts, baseMs: 500, maxMs: 10_000 };

/** A `RequestExecutor` that governs, retries and cancels. */
export class GovernedRequestExecutor extends RequestExecutor {
  readonly #deps: ExecutorDeps;

  constructor(deps: ExecutorDeps) {
    super();
    this.#deps = deps;
  }

  // The SDK types this with node-fetch's Response; a WHATWG Response has every member it uses
  // (status, url, headers.get/forEach, text, json).
  override fetch(request: SdkRequest): Promise<Response> {
    return this.#send(request);
  }

  async #send(request: SdkRequest): Promise<Response> {
    const url = String(request.url);
    const method = typeof request.method === 'string' ? request.method.toUpperCase() : 'GET';
    const key = endpointKey(method, url);
    const { signal, listing } = this.#deps.context.getStore() ?? {};
    const answer = await this.#attempt(request, url, method, signal);
    if (listing !== undefined && method === 'GET' && answer.status === 200) {
      checkPage(listing, answer, url, key.label);
    }
    return toResponse(answer, url);
  }

  async #attempt(
    request: SdkRequest,
    url: string,
    method: string,
    signal: AbortSignal | undefined,
  ): Promise<RawResponse> {
    const { budget, sleep, random } = this.#deps;
    const key = endpointKey(method, url);
    for (let attempt = 1; ; attempt += 1) {
      await budget.acquire(key, signal);
      let answer: RawResponse;
      try {
        answer = await fetchText(this.#deps.fetch, {
          url,
          method,
          headers: stringHeaders(request.headers),
          body: typeof request.body === 'string' ? request.body : undefined,
          timeoutMs: this.#deps.timeoutMs,
          signal,
          endpoint: key.label,
          unavailableCode: 'SOURCE_UNAVAILABLE',
        });
      } catch (error) {
        budget.settle(key, undefined);
        if (attempt < maxAttempts && isRetryable(error)) {
          await sleep(backoffDelay(attempt, backoff, random), signal);
          continue;
        }
        throw error;
      }
      budget.settle(key, answer);
      if (answer.status === 429) {
        if (attempt < maxThrottledAttempts) {
          // Without rate-limit headers (a proxy's 429) the governor cannot tell when to resume.
          if (budget.resetInMs(key.bucket) === undefined) {
            await sleep(backoffDelay(attempt, backoff, random), signal);
          }
          continue;
        }
        throw rateLimited(key, answer, attempt, budget.resetInMs(key.bucket));
      }
      if (answer.status >= 500) {
        if (attempt < maxAttempts) {
          await sleep(backoffDelay(attempt, backoff, random), signal);
          continue;
        }
        throw new SyncError(
          'SOURCE_UNAVAILABLE',
          `${key.label} answered ${answer.status}${summaryOf(answer)}`,
          {
            status: answer.status,
            endpoint: key.label,
          },
        );
      }
      if (key.bucket === 'token' && answer.status >= 400) {
        throw tokenError(key, answer);
      }
      return answer;
    }
  }
}

/**
 * One page of a list read: its URL must be new to the listing (a URL recorded only once it was
 * answered, so the SDK's retry of a 401 is no loop) and its body a JSON array.
 */
function checkPage(listing: PageGuard, answer: RawResponse, url: string, label: string): void {
  listing.cursor(url);
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    // The SDK's own parse reports it, with the body it saw.
    return;
  }
  if (!Array.isArray(body)) {
    throw new SyncError('SOURCE_INVALID_RESPONSE', `${label} answered a page that is no list`, {
      endpoint: label,
    });
  }
  listing.page(body.length);
}

function stringHeaders(headers: SdkRequest['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') {
      result[name] = String(value);
    }
  }
  return result;
}

/** Rebuilds a `Response` from the text already read (the body can only be read once). */
function toResponse(answer: RawResponse, url: string): Response {
  const empty = answer.status === 204 || answer.status === 304 || answer.text === '';
  const response = new Response(empty ? null : answer.text, {
    status: answer.status,
    headers: answer.headers,
  });
  // The SDK puts `response.url` into its error messages.
  Object.defineProperty(response, 'url', { value: url });
  return response;
}

function summaryOf(answer: RawResponse): string {
  try {
    const body = JSON.parse(answer.text) as { errorCode?: unknown; errorSummary?: unknown };
    if (typeof body.errorCode === 'string') {
      return ` (${body.errorCode}: ${String(body.errorSummary)})`;
    }
  } catch {
    // Not JSON: a proxy's error page; the status says enough.
  }
  return '';
}

function rateLimited(
  key: EndpointKey,
  answer: RawResponse,
  attempts: number,
  retryAfterMs: number | undefined,
): SyncError {
  return new SyncError(
    'SOURCE_RATE_LIMITED',
    `${key.label} is still rate limited after ${attempts} attempts${summaryOf(answer)}`,
    { status: 429, endpoint: key.label, retryAfterMs },
  );
}

/** `invalid_client: The client_assertion signature is invalid.` and what to check. */
function tokenError(key: EndpointKey, answer: RawResponse): SyncError {
  let reason = `HTTP ${answer.status}`;
  try {
    const body = JSON.parse(answer.text) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') {
      reason = `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}`;
    }
  } catch {
    // Keep the status.
  }
  return new SyncError(
    'SOURCE_UNAUTHORIZED',
    `Okta refused the OAuth token request (${reason}); check OKTA_CLIENT_ID, OKTA_PRIVATE_KEY and OKTA_KEY_ID, and that the service app is granted the okta.*.read scopes`,
    // No `status`: the SDK retries any failure with `status === 401` once with a fresh token,
    // which for a refused token request would only repeat the refusal.
    { endpoint: key.label },
  );
}
