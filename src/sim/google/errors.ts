/**
 * Google's JSON error shape. The `error.{code,message,errors[{message,domain,reason}]}` layout is
 * what Google APIs send (seen in public issue threads, e.g. iwestlin/gd-utils#70,
 * labbots/google-drive-upload#192); the `status` strings follow google.rpc.Code and are
 * **unverified** for the Directory API.
 */
import type { SimResponse } from '../shared/http-io.js';

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** A Google error answer. */
export function googleError(
  code: number,
  message: string,
  reason: string,
  domain = 'global',
  headers?: Record<string, string>,
): SimResponse {
  return {
    status: code,
    body: {
      error: {
        code,
        message,
        errors: [{ message, domain, reason }],
        status: statusNames[code] ?? 'UNKNOWN',
      },
    },
    ...(headers === undefined ? {} : { headers }),
  };
}

/** What a fault rule without a body answers with. */
export function defaultFaultError(status: number): SimResponse {
  switch (status) {
    case 401:
      return googleError(401, 'Invalid Credentials', 'authError');
    case 403:
      return googleError(
        403,
        "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'",
        'userRateLimitExceeded',
        'usageLimits',
      );
    case 429:
      return googleError(429, 'Rate Limit Exceeded', 'rateLimitExceeded', 'usageLimits');
    case 404:
      return googleError(404, 'Resource Not Found', 'notFound');
    default:
      return googleError(status, 'Backend Error', 'backendError');
  }
}
