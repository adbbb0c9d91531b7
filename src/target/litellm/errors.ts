/**
 * The LiteLLM error translator: every non-2xx answer becomes one `SyncError`, and the few
 * failures that mean "already so" are recognised here so that the client can treat them as
 * success.
 *
 * LiteLLM answers errors in three shapes (reference litellm-api.md §2):
 * - A, ProxyException: `{"error": {"message", "type", "param", "code"}}`
 * - B, raw FastAPI HTTPException: `{"detail": "text" | {"error": "text"} | …}`
 * - C, request validation (422): `{"detail": [{"loc": […], "msg": "…"}, …]}`
 */
import { z } from 'zod';
import { SyncError } from '../../errors.js';
import type { SyncErrorCode } from '../../errors.js';
import { parseRetryAfter } from '../../http/retry-after.js';

/** Which of the shapes a body had; `unparsed` covers non-JSON and unknown JSON. */
export type ApiErrorShape = 'proxy' | 'detail' | 'validation' | 'unparsed';

/** A LiteLLM error answer, reduced to what decisions need. */
export type ApiError = {
  readonly status: number;
  /** Human-readable text with any Python-repr wrapper removed. */
  readonly message: string;
  /** Shape A's `error.type` (e.g. `team_member_already_in_team`), when present. */
  readonly type: string | undefined;
  readonly shape: ApiErrorShape;
};

const proxyErrorSchema = z.object({
  error: z.union([z.object({ message: z.unknown(), type: z.unknown().optional() }), z.string()]),
});

const validationIssueSchema = z.object({
  loc: z.array(z.union([z.string(), z.number()])).optional(),
  msg: z.string().optional(),
});

const detailSchema = z.object({ detail: z.unknown() });

const MAX_SNIPPET = 200;

/** Reads any of the three error shapes; never throws. */
export function parseApiError(status: number, text: string): ApiError {
  const json = tryParseJson(text);
  const proxy = proxyErrorSchema.safeParse(json);
  if (proxy.success) {
    const { error } = proxy.data;
    if (typeof error === 'string') {
      return { status, message: stripPythonRepr(error), type: undefined, shape: 'proxy' };
    }
    return {
      status,
      message: stripPythonRepr(stringify(error.message)),
      type: typeof error.type === 'string' ? error.type : undefined,
      shape: 'proxy',
    };
  }
  const detail = detailSchema.safeParse(json);
  if (detail.success) {
    return fromDetail(status, detail.data.detail);
  }
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, MAX_SNIPPET);
  return {
    status,
    message: snippet === '' ? `HTTP ${status}` : snippet,
    type: undefined,
    shape: 'unparsed',
  };
}

function fromDetail(status: number, detail: unknown): ApiError {
  const issues = z.array(validationIssueSchema).safeParse(detail);
  if (issues.success) {
    const message = issues.data
      .map(issue => `${(issue.loc ?? []).join('.')}: ${issue.msg ?? 'invalid'}`)
      .join('; ');
    return { status, message, type: undefined, shape: 'validation' };
  }
  if (typeof detail === 'object' && detail !== null && !Array.isArray(detail)) {
    const inner = 'error' in detail ? detail.error : 'message' in detail ? detail.message : detail;
    return { status, message: stripPythonRepr(stringify(inner)), type: undefined, shape: 'detail' };
  }
  return { status, message: stripPythonRepr(stringify(detail)), type: undefined, shape: 'detail' };
}

/**
 * Removes the wrapper LiteLLM leaves when it converts an HTTPException whose `detail` is a dict:
 * `str(dict)` is the Python repr, e.g. `{'error': 'Team id = x already exists…'}`.
 * Only `error`, `message` and `detail` keys are unwrapped; anything else is returned unchanged.
 *
 * @example stripPythonRepr("{'error': 'No keys found'}") // 'No keys found'
 */
export function stripPythonRepr(message: string): string {
  const trimmed = message.trim();
  const head = /^\{\s*(['"])(?:error|message|detail)\1\s*:\s*/.exec(trimmed);
  if (head === null) {
    return message;
  }
  const literal = readPythonString(trimmed, head[0].length);
  if (literal === undefined || !/^\s*[,}]/.test(trimmed.slice(literal.end))) {
    return message;
  }
  return literal.value;
}

/** Reads a Python string literal (either quote) starting at `start`. */
function readPythonString(text: string, start: number): { value: string; end: number } | undefined {
  const quote = text[start];
  if (quote !== "'" && quote !== '"') {
    return undefined;
  }
  let value = '';
  for (let i = start + 1; i < text.length; i += 1) {
    const char = text[i];
    if (char === quote) {
      return { value, end: i + 1 };
    }
    if (char === '\\') {
      const next = text[i + 1];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : (next ?? '');
      i += 1;
    } else {
      value += char;
    }
  }
  return undefined;
}

/** The code for an HTTP status; 408 and 5xx are worth retrying, other 4xx are not. */
export function codeForStatus(status: number): SyncErrorCode {
  if (status === 401 || status === 403) {
    return 'TARGET_UNAUTHORIZED';
  }
  if (status === 404) {
    return 'TARGET_NOT_FOUND';
  }
  if (status === 429) {
    return 'TARGET_RATE_LIMITED';
  }
  if (status === 408 || status >= 500) {
    return 'TARGET_UNAVAILABLE';
  }
  if (status >= 400) {
    return 'TARGET_REJECTED';
  }
  // A 1xx/3xx reaching us (redirects are followed by fetch) is not an API answer.
  return 'TARGET_INVALID_RESPONSE';
}

/**
 * Translates a non-2xx LiteLLM answer into a `SyncError`. 429 and 503 carry `retryAfterMs`
 * from the `Retry-After` header when it is present.
 *
 * @param endpoint - a label such as `POST /team/new`
 * @param headers - the response headers, for `Retry-After`
 */
export function toTargetError(
  status: number,
  text: string,
  endpoint: string,
  headers?: Headers,
): SyncError {
  const parsed = parseApiError(status, text);
  const retryAfterMs =
    status === 429 || status === 503 ? parseRetryAfter(headers?.get('retry-after')) : undefined;
  return new SyncError(
    codeForStatus(status),
    `LiteLLM ${endpoint} failed with HTTP ${status}: ${parsed.message}`,
    { status, endpoint, retryAfterMs },
  );
}

/**
 * The id is taken: `/team/new` answers 400 "Team id = x already exists…"; `/user/new` answers
 * 409 since Dec 2025 (PR #17559) and 400 "User with email … already exists" before. The older
 * 400 is an e-mail clash, which may belong to another user id; LiteLLM gives no better signal.
 */
export function isAlreadyExists(error: ApiError): boolean {
  return error.status === 409 || (error.status === 400 && /already exists/i.test(error.message));
}

/** `/team/member_add` when every member is present already (400, shape A). */
export function isAlreadyInTeam(error: ApiError): boolean {
  return (
    error.type === 'team_member_already_in_team' ||
    (error.status === 400 && /already in team/i.test(error.message))
  );
}

/** `/team/member_delete` for a user who is not a member (400 "User not found in team"). */
export function isNotInTeam(error: ApiError): boolean {
  return error.status === 400 && /user not found in team/i.test(error.message);
}

/** `/key/delete` when none of the keys exist (404 "No keys found"). */
export function isNoKeysFound(error: ApiError): boolean {
  return error.status === 404 && /no keys found/i.test(error.message);
}

/**
 * A 404 about the named entity ("User not found, passed user_id=…", "Team not found…").
 * FastAPI's own `{"detail":"Not Found"}` for an unknown route, and non-JSON 404 pages, are
 * excluded: a wrong base URL must fail loudly, not read as "already deleted".
 */
export function isEntityNotFound(error: ApiError): boolean {
  return (
    error.status === 404 &&
    error.shape !== 'unparsed' &&
    error.message.trim().toLowerCase() !== 'not found'
  );
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function stringify(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  return JSON.stringify(value) ?? String(value);
}
