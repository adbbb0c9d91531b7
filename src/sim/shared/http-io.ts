/**
 * Raw HTTP plumbing: reading a request body and writing a `SimResponse`. How a body is encoded
 * differs per vendor (a string may be plain text or a JSON string, an absent body may be `null`
 * or nothing), so the encoder is the simulator's choice.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * An HTTP answer produced by a route, a fault or an error. `HeaderValue` widens to `string[]`
 * where a header repeats (Okta's one `Link` per relation).
 */
export type SimResponse<HeaderValue extends string | string[] = string> = {
  status: number;
  body: unknown;
  headers?: Record<string, HeaderValue>;
  /**
   * How a fault rule spoils the answer: `reset` drops the connection unanswered, `truncate` sends
   * half of the encoded body (see `FaultRule.reset` / `FaultRule.truncate`).
   */
  cut?: 'reset' | 'truncate' | undefined;
};

/**
 * Reads the whole request body. A body over `maxBytes` rejects, so a runaway client cannot fill
 * the test process's memory.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    // Without `setEncoding` a request yields Buffers; the fallback only guards the type.
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) {
      throw new Error('request body too large');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** A body ready for the wire; no `contentType` means no `Content-Type` header. */
export type EncodedBody = { payload: string; contentType?: string | undefined };

/** Turns a response body into bytes and a content type. */
export type BodyEncoder = (body: unknown) => EncodedBody;

/**
 * JSON with `jsonType`, except that a string body goes out as plain text (Starlette's and the
 * Graph front end's bare 500s) and an absent body as `null`.
 */
export function textOrJson(jsonType = 'application/json'): BodyEncoder {
  return body =>
    typeof body === 'string'
      ? { payload: body, contentType: 'text/plain; charset=utf-8' }
      : { payload: JSON.stringify(body ?? null), contentType: jsonType };
}

/** Always JSON (a string body too), and an absent body as an empty payload with no type (204). */
export const jsonOrEmpty: BodyEncoder = body =>
  body === undefined
    ? { payload: '' }
    : { payload: JSON.stringify(body), contentType: 'application/json' };

/**
 * Writes `response` with `encode`. `leading` headers come first (a vendor's per-response
 * headers such as `Date`); the response's own headers come last and win. Does nothing once the
 * answer has started or the socket is gone (a request that outlived `close()`).
 */
export function sendResponse(
  res: ServerResponse,
  response: SimResponse<string | string[]>,
  encode: BodyEncoder,
  leading: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent || res.destroyed) {
    return;
  }
  if (response.cut === 'reset') {
    res.destroy();
    return;
  }
  const encoded = encode(response.body);
  const { contentType } = encoded;
  const payload =
    response.cut === 'truncate'
      ? encoded.payload.slice(0, Math.floor(encoded.payload.length / 2))
      : encoded.payload;
  res.writeHead(response.status, {
    ...leading,
    ...(contentType === undefined ? {} : { 'content-type': contentType }),
    'content-length': Buffer.byteLength(payload),
    ...(response.headers ?? {}),
  });
  res.end(payload);
}
