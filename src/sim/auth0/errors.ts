/**
 * Auth0's error answers: the Management API shape `{statusCode, error, message, errorCode}`
 * (per `node-auth0`'s error parsing) and the OAuth shape `{error, error_description}` of the
 * token endpoint. The exact 429 message is UNVERIFIED (idp-apis.md §G).
 */
import type { SimResponse } from '../shared/http-io.js';

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The Management API error body for `status`. */
export function managementError(status: number, message?: string, errorCode?: string): unknown {
  return {
    statusCode: status,
    error: reasons[status] ?? 'Error',
    message: message ?? reasons[status] ?? 'Error',
    ...(errorCode === undefined ? {} : { errorCode }),
  };
}

/** A Management API error answer. */
export function errorAnswer(status: number, message?: string, errorCode?: string): SimResponse {
  return { status, body: managementError(status, message, errorCode) };
}

/** The token endpoint's refusal. */
export function oauthError(status: number, error: string, description: string): SimResponse {
  return { status, body: { error, error_description: description } };
}

/** What a fault rule without a body answers. */
export function faultBody(status: number): unknown {
  return status === 429
    ? managementError(429, 'Global limit has been reached', 'too_many_requests')
    : managementError(status);
}
