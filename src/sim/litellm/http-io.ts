/**
 * Raw HTTP plumbing: reading a request body, decoding it the way FastAPI does, and writing a
 * `SimResponse`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { SimResponse } from './errors.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Reads the whole request body (up to 10 MiB). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new Error('request body too large');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) {
    return true;
  }
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * FastAPI's body decoding: empty → no body; JSON (or no content type) → parsed, and a syntax
 * error is a 422 `json_invalid`; any other content type → the raw text, which then fails
 * model validation.
 */
export function decodeBody(
  raw: Buffer,
  contentType: string | undefined,
): { ok: true; body: unknown } | { ok: false; response: SimResponse } {
  if (raw.length === 0) {
    return { ok: true, body: undefined };
  }
  const text = raw.toString('utf8');
  if (!isJsonContentType(contentType)) {
    return { ok: true, body: text };
  }
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch (e) {
    const position = /position (\d+)/.exec((e as Error).message)?.[1];
    const detail = {
      type: 'json_invalid',
      loc: ['body', position === undefined ? 0 : Number(position)],
      msg: 'JSON decode error',
      input: {},
      // Python's json module words this differently per case; "Expecting value" is the common one.
      ctx: { error: 'Expecting value' },
    };
    return { ok: false, response: { status: 422, body: { detail: [detail] } } };
  }
}

/** Writes `response` as JSON (or plain text for a string body, like Starlette's 500). */
export function sendResponse(res: ServerResponse, response: SimResponse): void {
  if (res.writableEnded || res.destroyed) {
    return;
  }
  const plain = typeof response.body === 'string';
  const payload = plain ? (response.body as string) : JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': plain ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...(response.headers ?? {}),
  });
  res.end(payload);
}
