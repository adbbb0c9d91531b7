/**
 * The one place that touches `fetch`: a request with a per-request timeout, and the parse of a
 * JSON body through a zod schema. Vendor-neutral: the caller names the error codes, so the
 * LiteLLM client and the IdP connectors share it and keep their own status translators.
 */
import type { z } from 'zod';
import { SyncError, errorMessage } from '../errors.js';
import type { SyncErrorCode } from '../errors.js';
import { startDeadline, type Deadline } from './deadline.js';

/** The subset of the global `fetch` we use; injected so tests can swap it. */
export type FetchFn = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** One HTTP request. */
export type RawRequest = {
  readonly url: string | URL;
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: string | undefined;
  /** Budget for the whole exchange, headers and body. */
  readonly timeoutMs: number;
  /** The caller's cancellation; an abort becomes `SyncError('ABORTED')`. */
  readonly signal?: AbortSignal | undefined;
  /** A label for errors and logs, e.g. `GET /v2/team/list`; never the full URL or headers. */
  readonly endpoint: string;
  /** Code for network failures and timeouts (`TARGET_UNAVAILABLE`, `SOURCE_UNAVAILABLE`). */
  readonly unavailableCode: SyncErrorCode;
};

/** Whatever came back, any status; translating statuses is the caller's job. */
export type RawResponse = {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
};

/**
 * Performs `request` and reads the body as text.
 *
 * @throws SyncError(`unavailableCode`, retryable) on network failure or timeout, with the
 *   original error as `cause`; SyncError('ABORTED') when the caller's signal aborts.
 */
export async function fetchText(fetchFn: FetchFn, request: RawRequest): Promise<RawResponse> {
  const deadline = startDeadline(request.timeoutMs, request.signal);
  try {
    const init: RequestInit = { method: request.method, signal: deadline.signal };
    if (request.headers !== undefined) {
      init.headers = { ...request.headers };
    }
    if (request.body !== undefined) {
      init.body = request.body;
    }
    const response = await fetchFn(request.url, init);
    // The body is read under the same signal, so a server that stalls mid-body also times out.
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    throw translateFailure(error, request, deadline);
  } finally {
    deadline.dispose();
  }
}

function translateFailure(error: unknown, request: RawRequest, deadline: Deadline): SyncError {
  if (error instanceof SyncError) {
    return error;
  }
  const details = { endpoint: request.endpoint, cause: error };
  if (request.signal?.aborted === true) {
    return new SyncError('ABORTED', `${request.endpoint} aborted`, details);
  }
  if (deadline.timedOut()) {
    return new SyncError(
      request.unavailableCode,
      `${request.endpoint} timed out after ${request.timeoutMs} ms`,
      details,
    );
  }
  return new SyncError(
    request.unavailableCode,
    `${request.endpoint} failed: ${describe(error)}`,
    details,
  );
}

/** `fetch failed (ECONNREFUSED)`: undici hides the useful part in `cause.code`. */
function describe(error: unknown): string {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
      ? cause.code
      : undefined;
  return code === undefined ? errorMessage(error) : `${errorMessage(error)} (${code})`;
}

/** Where {@link parseJsonBody} reports a bad body. */
export type BodyContext = {
  readonly endpoint: string;
  /** e.g. `TARGET_INVALID_RESPONSE` or `SOURCE_INVALID_RESPONSE`. */
  readonly code: SyncErrorCode;
  readonly status?: number | undefined;
};

/**
 * Parses `text` as JSON and validates it; an empty body is validated as `undefined`.
 * All or nothing: a body that fails anywhere yields no data at all.
 *
 * @throws SyncError(`context.code`) naming the endpoint and the first failing zod paths
 */
export function parseJsonBody<T>(text: string, schema: z.ZodType<T>, context: BodyContext): T {
  const errorDetails = { endpoint: context.endpoint, status: context.status };
  let json: unknown;
  try {
    json = text.trim() === '' ? undefined : JSON.parse(text);
  } catch (error) {
    throw new SyncError(context.code, `${context.endpoint} returned a body that is not JSON`, {
      ...errorDetails,
      cause: error,
    });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new SyncError(
      context.code,
      `${context.endpoint} returned an unexpected body: ${formatIssues(result.error)}`,
      { ...errorDetails, cause: result.error },
    );
  }
  return result.data;
}

/** `teams.3.team_id: Invalid input: expected string, received undefined; …` (first three). */
function formatIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map(issue => {
    const path = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return `${path}: ${issue.message}`;
  });
  const more =
    error.issues.length > shown.length ? ` (+${error.issues.length - shown.length} more)` : '';
  return `${shown.join('; ')}${more}`;
}
