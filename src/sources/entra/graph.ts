/**
 * The Graph client: `@microsoft/microsoft-graph-client` with MSAL as its authentication provider
 * and a middleware chain of our own below it (throttling, then the injected `fetch` with a
 * timeout), plus the one function that turns any Graph failure into a {@link SyncError}.
 *
 * Bodies are requested raw and parsed here with zod, so a page that does not match its schema
 * becomes `SOURCE_INVALID_RESPONSE` instead of data we half-understand.
 */
import {
  AuthenticationHandler,
  Client,
  GraphClientError,
  GraphError,
  ResponseType,
  TelemetryHandler,
  type AuthenticationProvider,
} from '@microsoft/microsoft-graph-client';
import type { z } from 'zod';

import { SyncError, errorMessage } from '../../errors.js';
import { parseJsonBody, type FetchFn } from '../../http/fetch-json.js';
import { parseRetryAfter } from '../../http/retry-after.js';
import type { RetryPolicy, Sleep } from '../../http/retry.js';
import { createPageGuard } from '../page-guard.js';
import { graphErrorSchema, pageSchema } from './api.js';
import type { ThrottlePriority } from './config.js';
import { CallOptions, FetchHandler, KeepErrors, endpointOf, graphVersion } from './middleware.js';
import { Throttle, ThrottleHandler, throttledStatuses } from './throttle.js';

export { endpointOf } from './middleware.js';

/** Per-request options. */
export type GraphRequestOptions = {
  readonly signal?: AbortSignal | undefined;
  readonly priority?: ThrottlePriority | undefined;
};

/** A collection read to its end: every item, and the delta link if it was a delta round. */
export type Collection<T> = { readonly items: T[]; readonly deltaLink: string | undefined };

/** Typed Graph access for the readers. Paths are relative to `/v1.0` or absolute Graph links. */
export type Graph = {
  get<T>(path: string, schema: z.ZodType<T>, options?: GraphRequestOptions): Promise<T>;
  post<T>(
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
    options?: GraphRequestOptions,
  ): Promise<T>;
  /**
   * Follows `@odata.nextLink` until the last page; a link served twice or a long run of empty
   * pages fails the read (see `page-guard.ts`).
   */
  readAll<T>(
    path: string,
    item: z.ZodType<T>,
    options?: GraphRequestOptions,
  ): Promise<Collection<T>>;
  readonly throttle: Throttle;
  /** `$top` of every list read (1–999). */
  readonly pageSize: number;
};

/** What {@link createGraph} needs besides the base URL and the token source. */
export type GraphDeps = {
  readonly fetch: FetchFn;
  readonly sleep?: Sleep | undefined;
  readonly retryPolicy?: RetryPolicy | undefined;
  /** Budget of one HTTP exchange. @defaultValue 60000 */
  readonly timeoutMs?: number | undefined;
  /** `$top` of list reads. @defaultValue 999, Graph's maximum: the fewest calls */
  readonly pageSize?: number | undefined;
};

/** Builds the client for `graphBaseUrl` (an https origin), signing requests with `auth`. */
export function createGraph(
  graphBaseUrl: string,
  auth: AuthenticationProvider,
  deps: GraphDeps,
): Graph {
  const origin = new URL(graphBaseUrl).origin;
  const throttle = new Throttle(deps.sleep);
  const client = Client.initWithMiddleware({
    baseUrl: origin,
    defaultVersion: graphVersion,
    // graph-client only signs requests to Microsoft's own Graph hosts unless told otherwise.
    customHosts: new Set([new URL(origin).hostname]),
    middleware: [
      new KeepErrors(),
      new AuthenticationHandler(auth),
      new TelemetryHandler(),
      new ThrottleHandler(
        throttle,
        async (response, endpoint) => graphStatusError(response, await response.text(), endpoint),
        deps.retryPolicy,
        deps.sleep,
      ),
      new FetchHandler(deps.fetch, deps.timeoutMs ?? 60_000),
    ],
  });

  const send = async <T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
    options: GraphRequestOptions = {},
  ): Promise<T> => {
    const endpoint = endpointOf(method, path);
    if (/^https?:\/\//i.test(path) && new URL(path).origin !== origin) {
      // A link elsewhere would carry our bearer token off the configured Graph host.
      throw new SyncError('SOURCE_INVALID_RESPONSE', `Graph returned a link outside ${origin}`, {
        endpoint,
      });
    }
    const request = client
      .api(path)
      .responseType(ResponseType.RAW)
      .middlewareOptions([new CallOptions(options.signal, options.priority)]);
    let response: Response;
    try {
      response = (await (method === 'GET' ? request.get() : request.post(body))) as Response;
    } catch (error) {
      throw toSyncError(error, endpoint);
    }
    const text = await response.text();
    if (!response.ok) {
      throw graphStatusError(response, text, endpoint);
    }
    return parseJsonBody(text, schema, {
      endpoint,
      code: 'SOURCE_INVALID_RESPONSE',
      status: response.status,
    });
  };

  const get = <T>(path: string, schema: z.ZodType<T>, options?: GraphRequestOptions) =>
    send('GET', path, undefined, schema, options);

  return {
    get,
    post: (path, body, schema, options) => send('POST', path, body, schema, options),
    async readAll(path, item, options) {
      const schema = pageSchema(item);
      const items: z.infer<typeof item>[] = [];
      const guard = createPageGuard(endpointOf('GET', path));
      guard.cursor(path);
      let next: string | undefined = path;
      let deltaLink: string | undefined;
      while (next !== undefined) {
        const page: z.infer<typeof schema> = await get(next, schema, options);
        items.push(...page.value);
        guard.page(page.value.length);
        next = page['@odata.nextLink'];
        if (next !== undefined) {
          guard.cursor(next);
        }
        deltaLink = page['@odata.deltaLink'];
      }
      return { items, deltaLink };
    },
    throttle,
    pageSize: deps.pageSize ?? 999,
  };
}

/** The Graph facts behind a failed call; kept as the `cause` of the {@link SyncError}. */
export class GraphResponseError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly requestId: string | undefined;

  constructor(
    status: number,
    code: string | undefined,
    message: string,
    requestId: string | undefined,
  ) {
    super(message);
    this.name = 'GraphResponseError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

/**
 * The one translator from a Graph HTTP failure to a {@link SyncError}, for outer responses and
 * inner `$batch` responses alike. 401/403 name what is most likely missing; 429/503/504 carry
 * `Retry-After` as `retryAfterMs`.
 */
export function graphStatusError(
  response: { readonly status: number; readonly headers: Headers },
  body: unknown,
  endpoint: string,
  now: number = Date.now(),
): SyncError {
  const { status } = response;
  const failure = describeFailure(status, body);
  const summary = `${status}${failure.code === undefined ? '' : ` ${failure.code}`}: ${failure.message}`;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
  const details = { status, endpoint, retryAfterMs, cause: failure };
  const requestId = failure.requestId === undefined ? '' : ` (request-id ${failure.requestId})`;
  if (status === 401) {
    return new SyncError(
      'SOURCE_UNAUTHORIZED',
      `Graph rejected the access token for ${endpoint} (${summary})${requestId}; check that ENTRA_TENANT_ID, ENTRA_AUTHORITY_HOST and GRAPH_BASE_URL name the same tenant and cloud`,
      details,
    );
  }
  if (status === 403) {
    return new SyncError(
      'SOURCE_UNAUTHORIZED',
      `Graph refused ${endpoint} (${summary})${requestId}; the app registration most likely lacks the ${permissionFor(endpoint)} application permission, or an administrator has not granted admin consent for it`,
      details,
    );
  }
  if (status === 404) {
    return new SyncError('SOURCE_NOT_FOUND', `${endpoint}: not found (${summary})`, details);
  }
  if (status === 429) {
    return new SyncError(
      'SOURCE_RATE_LIMITED',
      `Graph throttled ${endpoint} (${summary})`,
      details,
    );
  }
  if (status >= 500 || throttledStatuses.has(status)) {
    return new SyncError(
      'SOURCE_UNAVAILABLE',
      `Graph failed ${endpoint} (${summary})${requestId}`,
      details,
    );
  }
  return new SyncError(
    'SOURCE_INVALID_RESPONSE',
    `Graph refused ${endpoint} (${summary})${requestId}`,
    details,
  );
}

/** The least-privileged application permission that covers an endpoint. */
function permissionFor(endpoint: string): string {
  if (/\/servicePrincipals\//i.test(endpoint)) {
    return 'Application.Read.All';
  }
  if (/\/groups|member/i.test(endpoint)) {
    return 'GroupMember.Read.All';
  }
  return 'User.Read.All';
}

function describeFailure(status: number, body: unknown): GraphResponseError {
  let json: unknown = body;
  if (typeof body === 'string') {
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
  }
  const parsed = graphErrorSchema.safeParse(json);
  const error = parsed.success ? parsed.data.error : undefined;
  return new GraphResponseError(
    status,
    error?.code,
    error?.message ?? 'no Graph error body',
    error?.innerError?.['request-id'],
  );
}

/** Anything thrown while calling Graph, as a {@link SyncError}. */
export function toSyncError(error: unknown, endpoint: string): SyncError {
  if (error instanceof GraphClientError && error.customError !== undefined) {
    return toSyncError(error.customError, endpoint);
  }
  if (error instanceof SyncError) {
    return error;
  }
  if (error instanceof GraphError && error.statusCode > 0) {
    return graphStatusError(
      { status: error.statusCode, headers: error.headers ?? new Headers() },
      error.body,
      endpoint,
    );
  }
  return new SyncError('SOURCE_UNAVAILABLE', `${endpoint} failed: ${errorMessage(error)}`, {
    endpoint,
    cause: error,
  });
}

/** The Graph error code behind a {@link SyncError}, if Graph sent one. */
export function graphCodeOf(error: unknown): string | undefined {
  return error instanceof SyncError && error.cause instanceof GraphResponseError
    ? error.cause.code
    : undefined;
}
