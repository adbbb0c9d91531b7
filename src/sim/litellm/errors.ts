/**
 * The three error shapes of the LiteLLM admin API and the per-endpoint wrappers that turn one into
 * another. Handlers throw `HttpException` (FastAPI `HTTPException`) or `ProxyException` exactly
 * where LiteLLM does; the route's `ErrorStyle` then converts them like LiteLLM's `except` blocks.
 *
 * @see /work/shared/reference/litellm-api.md §2
 */
import type { SimResponse } from '../shared/http-io.js';
import { pyStr } from './py-repr.js';

export type { SimResponse } from '../shared/http-io.js';

/** One FastAPI/pydantic validation error (shape C item). */
export type PyErrorDetail = {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
};

/** FastAPI `HTTPException`: answered as shape B `{"detail": …}` unless a wrapper converts it. */
export class HttpException extends Error {
  readonly status: number;
  readonly detail: unknown;
  constructor(status: number, detail: unknown) {
    super(pyStr(detail));
    this.name = 'HttpException';
    this.status = status;
    this.detail = detail;
  }

  /** Starlette's `str(exc)`, which LiteLLM embeds in some messages. */
  override toString(): string {
    return `${this.status}: ${pyStr(this.detail)}`;
  }
}

/** LiteLLM `ProxyException`: answered as shape A `{"error": {message, type, param, code}}`. */
export class ProxyException extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  constructor(status: number, message: string, type: string, param: string | null = 'None') {
    super(message);
    this.name = 'ProxyException';
    this.status = status;
    this.type = type;
    this.param = param;
  }
}

/** FastAPI `RequestValidationError`: answered as shape C, 422. */
export class RequestValidation extends Error {
  readonly errors: PyErrorDetail[];
  constructor(errors: PyErrorDetail[]) {
    super('request validation failed');
    this.name = 'RequestValidation';
    this.errors = errors;
  }
}

/**
 * How an endpoint surfaces errors:
 * - `raw`: nothing converts `HTTPException` (shape B); other errors are a bare FastAPI 500.
 * - `proxy`: `handle_exception_on_proxy` (shape A, `internal_server_error`, message = str(detail)).
 * - `proxy-auth`: the `/team/info` and `/user/update` variant with `type: auth_error`.
 */
export type ErrorStyle = 'raw' | 'proxy' | 'proxy-auth';

/** Shape A body. */
export function proxyBody(e: ProxyException): SimResponse {
  return {
    status: e.status,
    body: { error: { message: e.message, type: e.type, param: e.param, code: String(e.status) } },
  };
}

/** Converts anything a handler threw into the response LiteLLM would send for `style`. */
export function toErrorResponse(err: unknown, style: ErrorStyle): SimResponse {
  if (err instanceof RequestValidation) {
    return { status: 422, body: { detail: err.errors } };
  }
  if (err instanceof ProxyException) {
    return proxyBody(err);
  }
  const type = style === 'proxy-auth' ? 'auth_error' : 'internal_server_error';
  if (err instanceof HttpException) {
    if (style === 'raw') {
      return { status: err.status, body: { detail: err.detail } };
    }
    return proxyBody(new ProxyException(err.status, pyStr(err.detail), type));
  }
  const text = err instanceof Error ? err.message : String(err);
  if (style === 'proxy') {
    return proxyBody(new ProxyException(500, `Internal Server Error, ${text}`, type));
  }
  if (style === 'proxy-auth') {
    return proxyBody(new ProxyException(400, `Authentication Error, ${text}`, type));
  }
  // Starlette's ServerErrorMiddleware answers an unhandled exception with plain text.
  return { status: 500, body: 'Internal Server Error' };
}

/** LiteLLM's `CommonProxyErrors.not_premium_user`. */
export const NOT_PREMIUM_MESSAGE =
  'You must be a LiteLLM Enterprise user to use this feature. If you have a license please set ' +
  '`LITELLM_LICENSE` in your env. Get a 7 day trial key here: https://www.litellm.ai/enterprise#trial. ' +
  '\nPricing: https://www.litellm.ai/#pricing';
