/**
 * Graph's error shape and the errors handlers throw. The body is
 * `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`, which is
 * exactly what graph-client's `GraphErrorHandler` parses.
 *
 * @see /work/shared/reference/idp-apis.md §A "Errors and throttling"
 */

/** A Graph error a handler throws; the router turns it into a response. */
export class GraphHttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'GraphHttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

// An HTTP answer from a Graph or token handler: the shared kit's.
export type { SimResponse } from '../../shared/http-io.js';

/** Per-request ids echoed in error bodies and headers. */
export type RequestIds = { requestId: string; clientRequestId: string; now: number };

/** `innerError.date` is second precision without a zone, e.g. `2025-02-13T10:17:05`. */
function innerDate(now: number): string {
  return new Date(now).toISOString().slice(0, 19);
}

/** Graph's error body. */
export function graphErrorBody(code: string, message: string, ids: RequestIds): unknown {
  return {
    error: {
      code,
      message,
      innerError: {
        date: innerDate(ids.now),
        'request-id': ids.requestId,
        'client-request-id': ids.clientRequestId,
      },
    },
  };
}

/** The documented 429 body (https://learn.microsoft.com/graph/throttling, "Sample response"). */
export function throttledBody(ids: RequestIds): unknown {
  return {
    error: {
      code: 'TooManyRequests',
      message: 'Please retry again later.',
      innerError: {
        code: '429',
        date: innerDate(ids.now),
        message: 'Please retry after',
        'request-id': ids.requestId,
        status: '429',
      },
    },
  };
}

/** Code and message used when a fault rule names only a status. */
export function defaultGraphError(status: number): { code: string; message: string } {
  switch (status) {
    case 400:
      return { code: 'BadRequest', message: 'Bad request.' };
    case 401:
      return { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' };
    case 403:
      return {
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges to complete the operation.',
      };
    case 404:
      return { code: 'Request_ResourceNotFound', message: 'Resource does not exist.' };
    case 503:
      return {
        code: 'serviceNotAvailable',
        message: 'The service is temporarily unavailable. Please try again later.',
      };
    case 504:
      return { code: 'UnknownError', message: 'Gateway timeout.' };
    default:
      return status >= 500
        ? { code: 'generalException', message: 'An unspecified error has occurred.' }
        : { code: 'BadRequest', message: `Request failed with status ${status}.` };
  }
}

/** `/users/{id}` or `/groups/{id}` for an id that does not exist (or is soft-deleted). */
export function notFound(id: string): GraphHttpError {
  return new GraphHttpError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}
