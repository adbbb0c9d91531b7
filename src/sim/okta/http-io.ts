/**
 * Raw HTTP plumbing of the Okta simulator: reading a body and writing a `SimResponse` with the
 * headers every Okta answer carries (`Date` from the simulator's clock, `X-Okta-Request-Id`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { SimResponse } from './errors.js';

const maxBodyBytes = 1024 * 1024;

/** Reads the whole request body (up to 1 MiB). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) {
      throw new Error('request body too large');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Writes `response` as JSON. `Date` is set explicitly (Node would use the real clock) because
 * the SDK computes its 429 wait as `X-Rate-Limit-Reset − Date`.
 */
export function sendResponse(
  res: ServerResponse,
  response: SimResponse,
  common: { readonly nowMs: number; readonly requestId: string },
): void {
  if (res.writableEnded || res.destroyed) {
    return;
  }
  const payload = response.body === undefined ? '' : JSON.stringify(response.body);
  const headers: Record<string, string | string[]> = {
    date: new Date(common.nowMs).toUTCString(),
    'x-okta-request-id': common.requestId,
    ...(payload === '' ? {} : { 'content-type': 'application/json' }),
    'content-length': String(Buffer.byteLength(payload)),
    ...(response.headers ?? {}),
  };
  res.writeHead(response.status, headers);
  res.end(payload);
}
