/**
 * Okta's error shape, `{errorCode, errorSummary, errorLink, errorId, errorCauses}`, for the codes
 * the simulator answers with. `errorLink` carries the code itself, as Okta's responses do.
 *
 * @see /work/shared/reference/idp-apis.md §C "Errors and rate limits"
 */
import type { SimResponse as SharedSimResponse } from '../shared/http-io.js';

/** An HTTP answer produced by a route, a fault or an error; `Link` may repeat. */
export type SimResponse = SharedSimResponse<string | string[]>;

/** The Okta error codes the simulator uses, with their status and fixed summary. */
export const oktaErrors = {
  E0000001: { status: 400, summary: 'Api validation failed' },
  // E0000006 before E0000005: an injected 403 reads as a permission problem, the common case.
  E0000006: { status: 403, summary: 'You do not have permission to perform the requested action' },
  E0000005: { status: 403, summary: 'Invalid session' },
  E0000007: { status: 404, summary: 'Not found: Resource not found' },
  E0000009: { status: 500, summary: 'Internal Server Error' },
  E0000011: { status: 401, summary: 'Invalid token provided' },
  E0000022: { status: 405, summary: 'The endpoint does not support the provided HTTP method' },
  E0000031: { status: 400, summary: 'Invalid search criteria.' },
  E0000047: { status: 429, summary: 'API call exceeded rate limit due to too many requests.' },
} as const;

/** One of the codes above. */
export type OktaErrorCode = keyof typeof oktaErrors;

/** Thrown by handlers; the server turns it into the Okta body. */
export class OktaError extends Error {
  readonly code: OktaErrorCode;
  readonly status: number;
  readonly causes: readonly string[];
  readonly headers: Record<string, string>;
  constructor(
    code: OktaErrorCode,
    summary?: string,
    causes: readonly string[] = [],
    headers: Record<string, string> = {},
  ) {
    super(summary ?? oktaErrors[code].summary);
    this.name = 'OktaError';
    this.code = code;
    this.status = oktaErrors[code].status;
    this.causes = causes;
    this.headers = headers;
  }
}

/** The body of an Okta error; `errorId` comes from the caller (the simulator's PRNG). */
export function errorBody(
  code: string,
  summary: string,
  errorId: string,
  causes: readonly string[] = [],
): Record<string, unknown> {
  return {
    errorCode: code,
    errorSummary: summary,
    errorLink: code,
    errorId,
    errorCauses: causes.map(cause => ({ errorSummary: cause })),
  };
}

/** The response for a thrown {@link OktaError}. */
export function errorResponse(error: OktaError, errorId: string): SimResponse {
  return {
    status: error.status,
    body: errorBody(error.code, error.message, errorId, error.causes),
    headers: error.headers,
  };
}

/** The default body of an injected fault with `status`. */
export function faultBody(status: number, errorId: string): Record<string, unknown> {
  const known = Object.entries(oktaErrors).find(([, value]) => value.status === status);
  if (known !== undefined) {
    return errorBody(known[0], known[1].summary, errorId);
  }
  return errorBody(
    status >= 500 ? 'E0000009' : 'E0000001',
    status >= 500 ? oktaErrors.E0000009.summary : oktaErrors.E0000001.summary,
    errorId,
  );
}
