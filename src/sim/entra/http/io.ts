/**
 * Reading request bodies and writing JSON answers, with the headers every Graph and login
 * response carries (`Date` is added by Node).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { SimResponse } from '../graph/errors.js';

/** Largest accepted request body (a full `$batch` is far below this). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Reads the whole body as UTF-8 (rejects bodies over 4 MiB, Graph's batch payload cap). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new Error('request body too large');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

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

/** Writes `response` as JSON (or text when the body is a string). */
export function send(
  res: ServerResponse,
  response: SimResponse,
  contentType = 'application/json',
): void {
  if (res.headersSent || res.destroyed) {
    return;
  }
  const text =
    typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? null);
  res.writeHead(response.status, {
    'content-type': typeof response.body === 'string' ? 'text/plain; charset=utf-8' : contentType,
    'content-length': Buffer.byteLength(text),
    ...response.headers,
  });
  res.end(text);
}

/** Delays (latency, hanging faults) that `close()` can cut short. */
export type Sleeper = { sleep(ms: number): Promise<void>; cancelAll(): void };

/** Creates a sleeper whose pending delays all resolve at once on `cancelAll`. */
export function createSleeper(): Sleeper {
  const pending = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  return {
    sleep: ms =>
      new Promise<void>(resolve => {
        const entry = {
          timer: setTimeout(() => {
            pending.delete(entry);
            resolve();
          }, ms),
          resolve,
        };
        pending.add(entry);
      }),
    cancelAll: () => {
      for (const entry of pending) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      pending.clear();
    },
  };
}
