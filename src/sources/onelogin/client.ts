/**
 * A small typed client for the OneLogin API over the injected `fetch`: the client-credentials
 * token (`POST /auth/oauth2/v2/token`, HTTP Basic with the credential pair, JSON body), cached
 * until shortly before it expires and fetched again once if the API says 401; v2 cursor paging
 * (`cursor=<After-Cursor>` until the header is absent); the budget on every call; retries of
 * 429s (after `Retry-After` or `X-RateLimit-Reset`), 5xx answers and network failures.
 *
 * @see /work/shared/reference/idp-apis.md §H
 */
import type { z } from 'zod';

import { SyncError } from '../../errors.js';
import { fetchText, parseJsonBody, type FetchFn, type RawResponse } from '../../http/fetch-json.js';
import { parseRetryAfter } from '../../http/retry-after.js';
import { backoffDelay, isRetryable, type Sleep } from '../../http/retry.js';
import { tokenSchema } from './api.js';
import type { Budget } from './budget.js';
import type { OneLoginSourceConfig } from './config.js';
import { createPageGuard } from '../page-guard.js';

/** Largest v2 page. */
export const pageSize = 100;
const maxAttempts = 4;
const maxThrottledAttempts = 6;
const backoff = { maxAttempts, baseMs: 500, maxMs: 10_000 };
/** A token is renewed this long before OneLogin says it expires. */
const tokenLeewayMs = 60_000;

/** The reads the source builds on. */
export type OneLoginClient = {
  /** One GET; `undefined` when OneLogin says 404. */
  get<T>(
    path: string,
    query: Record<string, string>,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
  ): Promise<T | undefined>;
  /** Every page of a v2 list. */
  list<T>(
    path: string,
    query: Record<string, string>,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
  ): Promise<T[]>;
};

/** What the client needs besides its configuration. */
export type ClientDeps = {
  readonly fetch: FetchFn;
  readonly budget: Budget;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly now: () => number;
};

/** Creates the client. */
export function createOneLoginClient(
  config: OneLoginSourceConfig,
  deps: ClientDeps,
): OneLoginClient {
  let token: { value: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const send = async (
    label: string,
    request: { url: string; method: string; headers: Record<string, string>; body?: string },
    signal?: AbortSignal,
  ): Promise<RawResponse> => {
    for (let attempt = 1; ; attempt += 1) {
      await deps.budget.acquire(label, signal);
      let answer: RawResponse;
      try {
        answer = await fetchText(deps.fetch, {
          ...request,
          timeoutMs: config.requestTimeoutMs,
          signal,
          endpoint: label,
          unavailableCode: 'SOURCE_UNAVAILABLE',
        });
      } catch (error) {
        if (attempt < maxAttempts && isRetryable(error)) {
          await deps.budget.wait(backoffDelay(attempt, backoff, deps.random), signal);
          continue;
        }
        throw error;
      }
      deps.budget.settle(label, answer.status, answer.headers);
      if (answer.status === 429 && attempt < maxThrottledAttempts) {
        const after = parseRetryAfter(answer.headers.get('retry-after'), deps.now());
        // An empty account bucket (remaining 0) is held by the budget until its reset; any other
        // 429 waits `Retry-After`, or backs off.
        if (after !== undefined || !bucketEmpty(answer.headers)) {
          await deps.budget.wait(after ?? backoffDelay(attempt, backoff, deps.random), signal);
        }
        continue;
      }
      if (answer.status >= 500 && attempt < maxAttempts) {
        await deps.budget.wait(backoffDelay(attempt, backoff, deps.random), signal);
        continue;
      }
      return answer;
    }
  };

  const fetchToken = async (signal?: AbortSignal): Promise<string> => {
    const label = 'POST /auth/oauth2/v2/token';
    const basic = Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64');
    const answer = await send(
      label,
      {
        url: `${config.baseUrl}/auth/oauth2/v2/token`,
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      },
      signal,
    );
    if (answer.status !== 200) {
      throw new SyncError(
        answer.status === 429
          ? 'SOURCE_RATE_LIMITED'
          : answer.status >= 500
            ? 'SOURCE_UNAVAILABLE'
            : 'SOURCE_UNAUTHORIZED',
        `OneLogin refused the token request (${describeError(answer)}); check ONELOGIN_CLIENT_ID, ONELOGIN_CLIENT_SECRET and ONELOGIN_BASE_URL (the credential needs "Read users" or higher)`,
        { status: answer.status, endpoint: label },
      );
    }
    const body = parseJsonBody(answer.text, tokenSchema, {
      endpoint: label,
      code: 'SOURCE_INVALID_RESPONSE',
    });
    token = {
      value: body.access_token,
      expiresAt: deps.now() + (body.expires_in ?? 3_600) * 1000 - tokenLeewayMs,
    };
    return body.access_token;
  };

  const accessToken = async (signal?: AbortSignal): Promise<string> => {
    if (token !== undefined && token.expiresAt > deps.now()) {
      return token.value;
    }
    // One token request at a time, whoever asks first.
    pending ??= fetchToken(signal).finally(() => {
      pending = undefined;
    });
    return pending;
  };

  /** One GET with the bearer token; a 401 gets one retry with a fresh token. */
  const getRaw = async (
    path: string,
    query: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<RawResponse> => {
    const label = `GET ${path.replace(/\/(users|roles)\/\d+(?=\/|$)/g, '/$1/{id}')}`;
    const url = new URL(`${config.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) {
      url.searchParams.set(name, value);
    }
    for (let renewed = false; ; renewed = true) {
      const bearer = await accessToken(signal);
      const answer = await send(
        label,
        {
          url: url.toString(),
          method: 'GET',
          headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
        },
        signal,
      );
      if (answer.status === 401 && !renewed) {
        token = undefined;
        continue;
      }
      if (answer.status === 200 || answer.status === 404) {
        return answer;
      }
      throw toSyncError(label, answer);
    }
  };

  return {
    async get(path, query, schema, signal) {
      const answer = await getRaw(path, query, signal);
      if (answer.status === 404) {
        return undefined;
      }
      return parseJsonBody(answer.text, schema, {
        endpoint: `GET ${path}`,
        code: 'SOURCE_INVALID_RESPONSE',
      });
    },
    async list(path, query, schema, signal) {
      const items: z.infer<typeof schema>[] = [];
      const endpoint = `GET ${path}`;
      const guard = createPageGuard(endpoint);
      let cursor: string | undefined;
      let total: number | undefined;
      do {
        const answer = await getRaw(
          path,
          { ...query, limit: String(pageSize), ...(cursor === undefined ? {} : { cursor }) },
          signal,
        );
        if (answer.status === 404) {
          throw new SyncError('SOURCE_NOT_FOUND', `${endpoint}: not found`, {
            status: 404,
            endpoint,
          });
        }
        const page = parseJsonBody(answer.text, schema.array(), {
          endpoint,
          code: 'SOURCE_INVALID_RESPONSE',
        });
        items.push(...page);
        guard.page(page.length);
        total = totalCountOf(answer.headers) ?? total;
        const next = answer.headers.get('after-cursor');
        cursor = next === null || next === '' ? undefined : next;
        if (cursor !== undefined) {
          guard.cursor(cursor);
        }
      } while (cursor !== undefined);
      // OneLogin states the list's size on every page: a listing of another size lost a page
      // (a cursor that jumped past it) or counted one twice.
      if (total !== undefined) {
        guard.total(items.length, total);
      }
      return items;
    },
  };
}

function bucketEmpty(headers: Headers): boolean {
  const remaining = headers.get('x-ratelimit-remaining');
  return remaining !== null && Number(remaining) <= 0;
}

/** A failed answer of `label` as a `SyncError`. */
function toSyncError(label: string, answer: RawResponse): SyncError {
  const said = describeError(answer);
  const details = { status: answer.status, endpoint: label };
  switch (true) {
    case answer.status === 401:
      return new SyncError(
        'SOURCE_UNAUTHORIZED',
        `OneLogin rejected the token for ${label} (${said}); check ONELOGIN_CLIENT_ID and ONELOGIN_CLIENT_SECRET`,
        details,
      );
    case answer.status === 403:
      return new SyncError(
        'SOURCE_UNAUTHORIZED',
        `OneLogin refused ${label} (${said}); the API credential needs "Read users" or "Manage users"`,
        details,
      );
    case answer.status === 429:
      return new SyncError(
        'SOURCE_RATE_LIMITED',
        `OneLogin ${label}: still rate limited (${said})`,
        details,
      );
    case answer.status >= 500:
      return new SyncError('SOURCE_UNAVAILABLE', `OneLogin ${label} failed (${said})`, details);
    default:
      return new SyncError(
        'SOURCE_INVALID_RESPONSE',
        `OneLogin ${label} was refused (${said})`,
        details,
      );
  }
}

/**
 * `401 Authentication Failure` from either error shape: v2 `{statusCode, name, message}` or the
 * v1 envelope `{status: {code, type, message}}` that the token endpoint also uses.
 */
export function describeError(answer: RawResponse): string {
  try {
    const body = JSON.parse(answer.text) as Record<string, unknown>;
    const status = body['status'];
    const nested =
      typeof status === 'object' && status !== null
        ? (status as Record<string, unknown>)['message']
        : undefined;
    const message = body['message'] ?? nested ?? body['error_description'] ?? body['error'];
    if (typeof message === 'string') {
      return `${answer.status} ${message}`;
    }
  } catch {
    // Not JSON: a proxy's page.
  }
  return `HTTP ${answer.status}`;
}

/** `Total-Count`, the size of the whole list, when the answer states it. */
function totalCountOf(headers: Headers): number | undefined {
  const text = headers.get('total-count');
  const value = text === null ? Number.NaN : Number(text);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}
