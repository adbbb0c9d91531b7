/**
 * The plumbing of our graph-client middleware chain: per-request options carried through it,
 * the top link that keeps our errors intact, and the terminal link that sends the request with
 * the injected `fetch`.
 */
import {
  GraphClientError,
  type Context,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';

import { errorMessage } from '../../errors.js';
import { fetchText, type FetchFn } from '../../http/fetch-json.js';
import type { ThrottlePriority } from './config.js';

/** Graph's API version; every path below is relative to it. */
export const graphVersion = 'v1.0';

/** Per-request settings carried through the middleware chain. */
export class CallOptions implements MiddlewareOptions {
  readonly signal: AbortSignal | undefined;
  readonly priority: ThrottlePriority | undefined;

  constructor(signal: AbortSignal | undefined, priority: ThrottlePriority | undefined) {
    this.signal = signal;
    this.priority = priority;
  }
}

/** The {@link CallOptions} of a request, if it has any. */
export function callOptionsOf(context: Context): CallOptions | undefined {
  const options = context.middlewareControl?.getMiddlewareOptions(CallOptions);
  return options instanceof CallOptions ? options : undefined;
}

/** The URL of the request in `context` (graph-client passes a string; a Request is possible). */
export function requestUrl(context: Context): string {
  // `RequestInfo` is a DOM type this project's lib settings do not load.
  const request: unknown = context.request;
  return typeof request === 'string' ? request : (request as { url: string }).url;
}

/** Request headers as a plain record, whatever form graph-client built them in. */
export function headerRecord(
  headers: ConstructorParameters<typeof Headers>[0],
): Record<string, string> {
  return Object.fromEntries(new Headers(headers).entries());
}

/** `GET /v1.0/groups/…/members`: the path only, never the query (it may hold tokens). */
export function endpointOf(method: string, path: string): string {
  const absolute = /^https?:\/\//i.test(path);
  const pathname = absolute
    ? new URL(path).pathname
    : `/${graphVersion}/${path.replace(/^\/+/, '')}`;
  return `${method} ${pathname.split('?')[0] ?? pathname}`;
}

/**
 * graph-client wraps anything a middleware throws into a `GraphError` that keeps only the
 * message; a `GraphClientError` is passed through untouched. So the top of the chain wraps our
 * errors in one, and {@link toSyncError} unwraps them with their code and cause intact.
 */
export class KeepErrors implements Middleware {
  private next: Middleware | undefined;

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    try {
      await this.next?.execute(context);
    } catch (error) {
      const kept = new GraphClientError(errorMessage(error));
      kept.customError = error;
      throw kept;
    }
  }
}

/**
 * The terminal middleware: the injected `fetch` through the project's one HTTP helper (timeout,
 * abort, network failures as retryable `SOURCE_UNAVAILABLE`).
 */
export class FetchHandler implements Middleware {
  private readonly fetchFn: FetchFn;
  private readonly timeoutMs: number;

  constructor(fetchFn: FetchFn, timeoutMs: number) {
    this.fetchFn = fetchFn;
    this.timeoutMs = timeoutMs;
  }

  async execute(context: Context): Promise<void> {
    const url = requestUrl(context);
    const method = context.options?.method ?? 'GET';
    const body = context.options?.body;
    const raw = await fetchText(this.fetchFn, {
      url,
      method,
      headers: headerRecord(context.options?.headers),
      body: typeof body === 'string' ? body : undefined,
      timeoutMs: this.timeoutMs,
      signal: callOptionsOf(context)?.signal,
      endpoint: endpointOf(method, url),
      unavailableCode: 'SOURCE_UNAVAILABLE',
    });
    const empty = raw.status === 204 || raw.status === 205 || raw.status === 304;
    context.response = new Response(empty ? null : raw.text, {
      status: raw.status,
      headers: raw.headers,
    });
  }
}
