/**
 * Request headers as the handlers read them, and JSON answers with Entra's content types. The
 * byte plumbing is the shared kit's (`../../shared/http-io.ts`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { sendResponse, textOrJson } from '../../shared/http-io.js';
import type { SimResponse } from '../graph/errors.js';

/** Largest accepted request body: Graph's 4 MiB batch payload cap (a full `$batch` is far below). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Lower-cased single-valued request headers. */
export function headerMap(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) {
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return out;
}

/** Writes `response` as JSON with `contentType` (or as text when the body is a string). */
export function send(
  res: ServerResponse,
  response: SimResponse,
  contentType = 'application/json',
): void {
  sendResponse(res, response, textOrJson(contentType));
}
