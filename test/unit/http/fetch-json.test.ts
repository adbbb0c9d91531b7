import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SyncError } from '../../../src/errors.js';
import { fetchText, parseJsonBody } from '../../../src/http/fetch-json.js';
import { startServer } from '../target/litellm/fake-server.js';
import type { FakeServer } from '../target/litellm/fake-server.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const request = (url: string, extra: Partial<Parameters<typeof fetchText>[1]> = {}) => ({
  url,
  method: 'GET',
  timeoutMs: 1000,
  endpoint: 'GET /thing',
  unavailableCode: 'SOURCE_UNAVAILABLE' as const,
  ...extra,
});

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>(resolve => probe.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

describe('fetchText', () => {
  it('returns status, headers and text of any answer', async () => {
    server = await startServer(() => ({ status: 418, raw: 'teapot', headers: { 'x-a': 'b' } }));
    const response = await fetchText(globalThis.fetch, request(`${server.url}/thing`));
    expect(response.status).toBe(418);
    expect(response.text).toBe('teapot');
    expect(response.headers.get('x-a')).toBe('b');
  });

  it('sends method, headers and body', async () => {
    server = await startServer(() => ({ body: {} }));
    await fetchText(
      globalThis.fetch,
      request(`${server.url}/thing`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test': '1' },
        body: '{"a":1}',
      }),
    );
    expect(server.requests[0]).toMatchObject({ method: 'POST', body: { a: 1 } });
    expect(server.requests[0]?.headers['x-test']).toBe('1');
  });

  it('turns a timeout into a retryable error of the given code, keeping the cause', async () => {
    server = await startServer(() => ({ body: {}, delayMs: 500 }));
    const error = await fetchText(
      globalThis.fetch,
      request(`${server.url}/thing`, { timeoutMs: 50 }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      retryable: true,
      endpoint: 'GET /thing',
    });
    expect((error as SyncError).message).toContain('timed out after 50 ms');
    expect((error as SyncError).cause).toBeDefined();
  });

  it('turns a refused connection into a retryable error', async () => {
    const port = await closedPort();
    const error = await fetchText(
      globalThis.fetch,
      request(`http://127.0.0.1:${port}/thing`, { unavailableCode: 'TARGET_UNAVAILABLE' }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TARGET_UNAVAILABLE', retryable: true });
    expect((error as SyncError).message).toContain('ECONNREFUSED');
    expect((error as SyncError).cause).toBeInstanceOf(TypeError);
  });

  it("reports the caller's abort as ABORTED, not as a timeout", async () => {
    server = await startServer(() => ({ body: {}, delayMs: 500 }));
    const controller = new AbortController();
    const pending = fetchText(
      globalThis.fetch,
      request(`${server.url}/thing`, { signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED', retryable: false });
  });
});

describe('parseJsonBody', () => {
  const schema = z.object({ items: z.array(z.object({ id: z.string() })) });
  const context = { endpoint: 'GET /items', code: 'SOURCE_INVALID_RESPONSE' as const, status: 200 };

  it('returns the parsed data', () => {
    expect(parseJsonBody('{"items":[{"id":"a","extra":1}]}', schema, context)).toEqual({
      items: [{ id: 'a' }],
    });
  });

  it('names the endpoint and the zod path of a bad field', () => {
    const error = (() => {
      try {
        parseJsonBody('{"items":[{"id":"a"},{"id":7}]}', schema, context);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toMatchObject({
      code: 'SOURCE_INVALID_RESPONSE',
      endpoint: 'GET /items',
      status: 200,
    });
    expect((error as Error).message).toContain('GET /items');
    expect((error as Error).message).toContain('items.1.id');
  });

  it('rejects a body that is not JSON', () => {
    expect(() => parseJsonBody('<html>', schema, context)).toThrow(/not JSON/);
  });

  it('validates an empty body as undefined', () => {
    expect(parseJsonBody('', z.unknown(), context)).toBeUndefined();
    expect(() => parseJsonBody('', schema, context)).toThrow(SyncError);
  });
});
