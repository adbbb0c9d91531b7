/**
 * A tiny real HTTP server per test: the handler decides each answer, every request is recorded,
 * and the peak number of requests in flight is tracked (for the concurrency tests).
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../../../src/log.js';
import { createLiteLLMClient } from '../../../../src/target/litellm/client.js';
import type {
  LiteLLMClientConfig,
  LiteLLMClientDeps,
} from '../../../../src/target/litellm/client.js';
import type { Target } from '../../../../src/target/types.js';

export type Recorded = {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
};

export type Reply = {
  readonly status?: number;
  /** Sent as JSON unless `raw` is given. */
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly delayMs?: number;
};

export type FakeServer = {
  readonly url: string;
  readonly requests: Recorded[];
  readonly maxInFlight: () => number;
  close(): Promise<void>;
};

export const MASTER_KEY = 'sk-master-0123456789abcdef';

/** Starts a server on an ephemeral port of 127.0.0.1. */
export async function startServer(
  handler: (request: Recorded) => Reply | Promise<Reply>,
): Promise<FakeServer> {
  const requests: Recorded[] = [];
  let inFlight = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
      requests.push(recorded);
      void Promise.resolve(handler(recorded)).then(reply => {
        setTimeout(() => {
          inFlight -= 1;
          if (res.destroyed) {
            return;
          }
          res.writeHead(reply.status ?? 200, {
            'content-type': 'application/json',
            ...reply.headers,
          });
          res.end(reply.raw ?? JSON.stringify(reply.body ?? {}));
        }, reply.delayMs ?? 0);
      });
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: () => peak,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A client against `server` with instant, recorded sleeps and zero jitter. */
export function clientFor(
  server: FakeServer,
  config: Partial<LiteLLMClientConfig> = {},
  deps: Partial<LiteLLMClientDeps> = {},
): { target: Target; sleeps: number[] } {
  const sleeps: number[] = [];
  const target = createLiteLLMClient(
    { baseUrl: server.url, masterKey: MASTER_KEY, ...config },
    {
      fetch: globalThis.fetch,
      logger: silentLogger(),
      sleep: ms => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0,
      ...deps,
    },
  );
  return { target, sleeps };
}

/** Reads an async iterable to the end. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) {
    items.push(item);
  }
  return items;
}

/** Shape A, as LiteLLM's ProxyException handler renders it. */
export function proxyError(status: number, message: string, type = 'internal_server_error'): Reply {
  return { status, body: { error: { message, type, param: 'None', code: String(status) } } };
}

/** Shape B, FastAPI's default HTTPException body. */
export function detailError(status: number, detail: unknown): Reply {
  return { status, body: { detail } };
}
