/**
 * One LiteLLM admin call: auth header, bounded concurrency, retries, timeout, error translation
 * and body parsing. Everything the endpoint modules (`teams.ts`, `users.ts`, `keys.ts`) send
 * goes through {@link Requester.call}.
 */
import type { z } from 'zod';
import { ConfigError, SyncError } from '../../errors.js';
import { fetchText, parseJsonBody } from '../../http/fetch-json.js';
import type { FetchFn, RawResponse } from '../../http/fetch-json.js';
import { createLimiter } from '../../http/limit.js';
import { withRetry } from '../../http/retry.js';
import type { RetryPolicy, Sleep } from '../../http/retry.js';
import type { Logger } from '../../log.js';
import { parseApiError, toTargetError } from './errors.js';
import type { ApiError } from './errors.js';

/** Connection settings of the LiteLLM client. */
export type LiteLLMClientConfig = {
  /** Proxy root, e.g. `https://litellm.example.com` (a path prefix is kept). */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged, never put in an error. */
  readonly masterKey: string;
  /** Calls in flight at once. @defaultValue 8 */
  readonly concurrency?: number | undefined;
  /** Budget per attempt (headers and body). @defaultValue 30000 */
  readonly timeoutMs?: number | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Rows per list page; LiteLLM caps every list at 100. @defaultValue 100 */
  readonly pageSize?: number | undefined;
};

/** Injected I/O of the LiteLLM client. */
export type LiteLLMClientDeps = {
  readonly fetch: FetchFn;
  readonly logger: Logger;
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
  /** Called once per HTTP attempt (status 0 when no answer came), e.g. for call counting. */
  readonly onCall?: ((endpoint: string, status: number, ms: number) => void) | undefined;
};

/** One call's description. */
export type CallSpec<T> = {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean>> | undefined;
  readonly body?: unknown;
  readonly schema: z.ZodType<T>;
  /** Failures that mean "already so"; they resolve as `tolerated` instead of throwing. */
  readonly tolerate?: ((error: ApiError) => boolean) | undefined;
};

/** A successful call, or a tolerated failure with the error that was tolerated. */
export type CallResult<T> =
  | { readonly kind: 'ok'; readonly data: T }
  | { readonly kind: 'tolerated'; readonly error: ApiError };

/** Performs LiteLLM calls with the client's policies. */
export type Requester = {
  call<T>(spec: CallSpec<T>, signal?: AbortSignal): Promise<CallResult<T>>;
  /** {@link Requester.call} for calls that tolerate nothing: resolves to the parsed body. */
  data<T>(spec: Omit<CallSpec<T>, 'tolerate'>, signal?: AbortSignal): Promise<T>;
  /** The effective list page size (1–100). */
  readonly pageSize: number;
  readonly logger: Logger;
};

const MAX_PAGE_SIZE = 100;

/**
 * Creates the requester. The limiter wraps each attempt, not the whole retry loop, so a call
 * waiting out its backoff does not hold a slot.
 *
 * @throws ConfigError when the base URL, key, concurrency or timeout is unusable
 */
export function createRequester(config: LiteLLMClientConfig, deps: LiteLLMClientDeps): Requester {
  const baseUrl = checkedBaseUrl(config);
  const limiter = createLimiter(config.concurrency ?? 8);
  const timeoutMs = config.timeoutMs ?? 30_000;
  const pageSize = Math.min(
    MAX_PAGE_SIZE,
    Math.max(1, Math.floor(config.pageSize ?? MAX_PAGE_SIZE)),
  );
  const authorization = `Bearer ${config.masterKey}`;
  // An upstream error may echo the Authorization header back; it must not reach our messages.
  const redact = (text: string): string => text.split(config.masterKey).join('[redacted]');

  const attempt = async <T>(
    spec: CallSpec<T>,
    label: string,
    signal?: AbortSignal,
  ): Promise<CallResult<T>> => {
    const started = performance.now();
    let response: RawResponse;
    try {
      response = await fetchText(deps.fetch, {
        url: buildUrl(baseUrl, spec),
        method: spec.method,
        headers: headersFor(authorization, spec),
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        timeoutMs,
        signal,
        endpoint: label,
        unavailableCode: 'TARGET_UNAVAILABLE',
      });
    } catch (error) {
      deps.onCall?.(label, 0, performance.now() - started);
      throw error;
    }
    const ms = performance.now() - started;
    deps.onCall?.(label, response.status, ms);
    deps.logger.debug(
      { endpoint: label, status: response.status, ms: Math.round(ms) },
      'litellm call',
    );
    if (response.status >= 200 && response.status < 300) {
      const data = parseJsonBody(response.text, spec.schema, {
        endpoint: label,
        code: 'TARGET_INVALID_RESPONSE',
        status: response.status,
      });
      return { kind: 'ok', data };
    }
    const text = redact(response.text);
    const apiError = parseApiError(response.status, text);
    if (spec.tolerate?.(apiError) === true) {
      return { kind: 'tolerated', error: apiError };
    }
    throw toTargetError(response.status, text, label, response.headers);
  };

  const call = <T>(spec: CallSpec<T>, signal?: AbortSignal): Promise<CallResult<T>> => {
    const label = `${spec.method} ${spec.path}`;
    return withRetry(() => limiter.run(() => attempt(spec, label, signal)), config.retry, {
      signal,
      sleep: deps.sleep,
      random: deps.random,
      onRetry: ({ attempt: failedAttempt, delayMs, error }) =>
        deps.logger.warn(
          { endpoint: label, attempt: failedAttempt, delayMs, err: error },
          'litellm call failed, retrying',
        ),
    });
  };

  return {
    pageSize,
    logger: deps.logger,
    call,
    async data<T>(spec: Omit<CallSpec<T>, 'tolerate'>, signal?: AbortSignal): Promise<T> {
      const result = await call(spec, signal);
      // Without `tolerate` every failure throws, so only 'ok' can arrive here.
      if (result.kind !== 'ok') {
        throw new SyncError(
          'TARGET_REJECTED',
          `${spec.method} ${spec.path}: ${result.error.message}`,
        );
      }
      return result.data;
    },
  };
}

function checkedBaseUrl(config: LiteLLMClientConfig): string {
  const issues: string[] = [];
  if (!URL.canParse(config.baseUrl)) {
    issues.push('litellm.baseUrl: not an absolute URL');
  }
  if (config.masterKey.trim() === '') {
    issues.push('litellm.masterKey: empty');
  }
  const concurrency = config.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    issues.push('litellm.concurrency: must be a positive integer');
  }
  if (config.timeoutMs !== undefined && !(config.timeoutMs > 0)) {
    issues.push('litellm.timeoutMs: must be positive');
  }
  if (issues.length > 0) {
    throw new ConfigError(issues);
  }
  return config.baseUrl.replace(/\/+$/, '');
}

function buildUrl(baseUrl: string, spec: CallSpec<unknown>): URL {
  const url = new URL(`${baseUrl}${spec.path}`);
  for (const [name, value] of Object.entries(spec.query ?? {})) {
    url.searchParams.set(name, String(value));
  }
  return url;
}

function headersFor(authorization: string, spec: CallSpec<unknown>): Record<string, string> {
  const headers: Record<string, string> = { authorization, accept: 'application/json' };
  if (spec.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  return headers;
}
