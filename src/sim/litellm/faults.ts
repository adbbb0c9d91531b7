/**
 * LiteLLM's answer to a fired fault rule. Matching is the shared kit's (`../shared/faults.ts`);
 * rules are checked before routing, authentication and the handler, so a faulted write never
 * changes the database.
 */
import { STATUS_CODES } from 'node:http';

import { faultResponse as sharedFaultResponse, retryAfterOne } from '../shared/faults.js';
import type { SimResponse } from './errors.js';
import type { FaultRule } from './types.js';

function proxyError(status: number, message: string, type: string): unknown {
  return { error: { message, type, param: 'None', code: String(status) } };
}

/** A realistic LiteLLM body for an injected status. */
function defaultBody(status: number): unknown {
  switch (status) {
    case 401:
      return proxyError(
        401,
        'Authentication Error, Invalid proxy server token passed.',
        'auth_error',
      );
    case 404:
      return { detail: 'Not Found' };
    case 422:
      return { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] };
    case 429:
      // LiteLLM's rate limiter answers through the auth error handler with `type: "None"`.
      return proxyError(429, 'Crossed TPM / RPM / Max Parallel Request Limit', 'None');
    default: {
      const text = STATUS_CODES[status] ?? 'Error';
      return proxyError(
        status,
        status >= 500 ? `Internal Server Error, ${text}` : text,
        'internal_server_error',
      );
    }
  }
}

/**
 * The response a fired rule sends: its body or a realistic LiteLLM one, and `Retry-After: 1` on
 * a 429 unless the rule sets it.
 */
export function faultResponse(rule: FaultRule): SimResponse {
  return sharedFaultResponse(rule, {
    body: defaultBody,
    headers: status => retryAfterOne(status, [429]),
  });
}
