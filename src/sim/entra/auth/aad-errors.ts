/**
 * Errors of the Entra token endpoint in AAD's shape: `error`, `error_description` starting with
 * the `AADSTSnnnn:` code and ending with trace/correlation ids and a timestamp, `error_codes`,
 * `timestamp`, `trace_id`, `correlation_id`, `error_uri` (what MSAL's ResponseHandler reads).
 *
 * @see /work/shared/reference/idp-apis.md §B "Token request on the wire"
 */
import type { SimResponse } from '../graph/errors.js';

/** A token-endpoint refusal a handler throws. */
export class AadError extends Error {
  readonly status: number;
  readonly error: string;
  readonly code: number;
  constructor(status: number, error: string, code: number, message: string) {
    super(message);
    this.name = 'AadError';
    this.status = status;
    this.error = error;
    this.code = code;
  }
}

/** `2024-05-01 10:11:12Z`, the format of AAD's `timestamp`. */
function aadTimestamp(now: number): string {
  return `${new Date(now).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The response for `err`, stamped with ids and time. */
export function aadErrorResponse(
  err: AadError,
  ids: { traceId: string; correlationId: string; now: number },
  origin: string,
): SimResponse {
  const timestamp = aadTimestamp(ids.now);
  const description =
    `AADSTS${err.code}: ${err.message}\r\nTrace ID: ${ids.traceId}\r\n` +
    `Correlation ID: ${ids.correlationId}\r\nTimestamp: ${timestamp}`;
  return {
    status: err.status,
    body: {
      error: err.error,
      error_description: description,
      error_codes: [err.code],
      timestamp,
      trace_id: ids.traceId,
      correlation_id: ids.correlationId,
      error_uri: `${origin}/error?code=${err.code}`,
    },
    headers: {
      'cache-control': 'no-store, no-cache',
      pragma: 'no-cache',
      'x-ms-request-id': ids.traceId,
    },
  };
}

/** AADSTS900144: a required form field is missing. */
export function missingParameter(name: string): AadError {
  return new AadError(
    400,
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
  );
}
