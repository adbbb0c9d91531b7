/**
 * OneLogin's error answers: the v1 envelope `{status: {error, code, type, message}}`, which the
 * token endpoint uses (idp-apis.md §H), and the v2 shape `{statusCode, name, message}` for API
 * calls (UNVERIFIED: the v2 error and 429 bodies are not documented in the sources read).
 */
import type { SimResponse } from '../shared/http-io.js';

const names: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

/** A v2 error answer. */
export function v2Error(status: number, message: string): SimResponse {
  return { status, body: { statusCode: status, name: names[status] ?? 'Error', message } };
}

/** A v1-envelope error answer (the token endpoint). */
export function v1Error(status: number, message: string): SimResponse {
  return {
    status,
    body: { status: { error: true, code: status, type: names[status] ?? 'Error', message } },
  };
}

/** What a fault rule without a body answers. */
export function faultBody(status: number): unknown {
  return v2Error(status, status === 429 ? 'Rate limit exceeded' : (names[status] ?? 'Error')).body;
}
