/**
 * Request body decoding the way FastAPI does it. Reading and writing bytes is the shared kit's
 * (`../shared/http-io.ts`).
 */
import type { SimResponse } from './errors.js';

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
