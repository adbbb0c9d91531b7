/**
 * Writing a `SimResponse` with the headers every Okta answer carries (`Date` from the
 * simulator's clock, `X-Okta-Request-Id`). The byte plumbing is the shared kit's.
 */
import type { ServerResponse } from 'node:http';

import { jsonOrEmpty, sendResponse as send } from '../shared/http-io.js';
import type { SimResponse } from './errors.js';

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Writes `response` as JSON (nothing for a 204). `Date` is set explicitly (Node would use the
 * real clock) because the SDK computes its 429 wait as `X-Rate-Limit-Reset − Date`.
 */
export function sendResponse(
  res: ServerResponse,
  response: SimResponse,
  common: { readonly nowMs: number; readonly requestId: string },
): void {
  send(res, response, jsonOrEmpty, {
    date: new Date(common.nowMs).toUTCString(),
    'x-okta-request-id': common.requestId,
  });
}
