import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, SyncError } from '../../../../src/errors.js';
import { silentLogger } from '../../../../src/log.js';
import { createLiteLLMClient } from '../../../../src/target/litellm/client.js';
import { MASTER_KEY, clientFor, collect, proxyError, startServer } from './fake-server.js';
import type { FakeServer, Recorded, Reply } from './fake-server.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: (request: Recorded) => Reply): Promise<FakeServer> {
  server = await startServer(handler);
  return server;
}

/** Answers with `replies` in order, then with the last one forever. */
function sequence(...replies: Reply[]): () => Reply {
  let i = 0;
  return () => replies[Math.min(i++, replies.length - 1)] ?? {};
}

const ok: Reply = { raw: '1' };

describe('retries', () => {
  it('retries a 429 after the Retry-After delay, then succeeds', async () => {
    const s = await serve(
      sequence({ ...proxyError(429, 'Rate limited'), headers: { 'retry-after': '1' } }, ok),
    );
    const { target, sleeps } = clientFor(s);
    await expect(target.deleteUser('u1')).resolves.toBe('deleted');
    expect(s.requests).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
  });

  it('retries 500 twice, then succeeds', async () => {
    const s = await serve(
      sequence(proxyError(500, 'DB not connected'), { status: 502, raw: 'bad gateway' }, ok),
    );
    const { target, sleeps } = clientFor(s);
    await expect(target.deleteUser('u1')).resolves.toBe('deleted');
    expect(s.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('retries a timed-out attempt', async () => {
    const s = await serve(sequence({ raw: '1', delayMs: 400 }, ok));
    const { target } = clientFor(s, { timeoutMs: 50 });
    await expect(target.deleteUser('u1')).resolves.toBe('deleted');
    expect(s.requests).toHaveLength(2);
  });

  it('does not retry a 400', async () => {
    const s = await serve(() => proxyError(400, "{'error': 'Invalid thing'}"));
    await expect(clientFor(s).target.updateUser('u1', { email: 'x@y.z' })).rejects.toMatchObject({
      code: 'TARGET_REJECTED',
    });
    expect(s.requests).toHaveLength(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const s = await serve(() => ({ status: 503, raw: '' }));
    const error = await clientFor(s, { retry: { maxAttempts: 3 } })
      .target.deleteUser('u1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TARGET_UNAVAILABLE', status: 503, retryable: true });
    expect(s.requests).toHaveLength(3);
  });

  it('stops when the caller aborts', async () => {
    const s = await serve(() => ({ raw: '1', delayMs: 500 }));
    const controller = new AbortController();
    const pending = clientFor(s).target.deleteUser('u1', controller.signal);
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(s.requests).toHaveLength(1);
  });

  it('does not retry an invalid body', async () => {
    const s = await serve(() => ({ raw: '<html>login</html>' }));
    await expect(collect(clientFor(s).target.listTeams())).rejects.toMatchObject({
      code: 'TARGET_INVALID_RESPONSE',
    });
    expect(s.requests).toHaveLength(1);
  });
});

describe('the master key', () => {
  it('never appears in an error, even when the server echoes it', async () => {
    const echo = (request: Recorded): Reply =>
      proxyError(
        401,
        `Authentication Error, got header ${String(request.headers.authorization)}`,
        'auth_error',
      );
    const errors: unknown[] = [];
    for (const handler of [
      echo,
      (request: Recorded): Reply => ({
        status: 500,
        raw: `upstream said ${String(request.headers.authorization)}`,
      }),
      (request: Recorded): Reply => ({
        status: 404,
        body: { detail: { error: `no ${String(request.headers.authorization)}` } },
      }),
      (): Reply => ({ body: { teams: 'nope' } }),
    ]) {
      const s = await serve(handler);
      errors.push(
        await collect(clientFor(s, { retry: { maxAttempts: 2 } }).target.listTeams()).catch(
          (e: unknown) => e,
        ),
      );
      errors.push(
        await clientFor(s, { timeoutMs: 1 })
          .target.blockKey('h')
          .catch((e: unknown) => e),
      );
      await s.close();
      server = undefined;
    }
    const unreachable = createLiteLLMClient(
      { baseUrl: 'http://127.0.0.1:1', masterKey: MASTER_KEY, retry: { maxAttempts: 1 } },
      { fetch: globalThis.fetch, logger: silentLogger() },
    );
    errors.push(await unreachable.getTeam('g').catch((e: unknown) => e));

    expect(errors).toHaveLength(9);
    for (const error of errors) {
      expect(error).toBeInstanceOf(SyncError);
      const text = `${String(error)} ${(error as Error).stack ?? ''} ${JSON.stringify(error)}`;
      expect(text).not.toContain(MASTER_KEY);
    }
    expect(String(errors[0])).toContain('[redacted]');
    expect(errors[0]).toMatchObject({ code: 'TARGET_UNAUTHORIZED', status: 401 });
  });
});

describe('concurrency', () => {
  it('never has more calls in flight than the limit', async () => {
    const s = await serve(() => ({ raw: '1', delayMs: 15 }));
    const { target } = clientFor(s, { concurrency: 3 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => target.deleteUser(`u${i}`)));
    expect(s.requests).toHaveLength(20);
    expect(s.maxInFlight()).toBe(3);
  });

  it('defaults to 8', async () => {
    const s = await serve(() => ({ raw: '1', delayMs: 15 }));
    const { target } = clientFor(s);
    await Promise.all(Array.from({ length: 30 }, (_, i) => target.deleteUser(`u${i}`)));
    expect(s.maxInFlight()).toBe(8);
  });
});

describe('onCall', () => {
  it('reports every attempt with endpoint, status and duration', async () => {
    const s = await serve(sequence({ status: 500, raw: '' }, ok));
    const calls: [string, number, number][] = [];
    const { target } = clientFor(
      s,
      {},
      { onCall: (endpoint, status, ms) => calls.push([endpoint, status, ms]) },
    );
    await target.deleteUser('u1');
    expect(calls.map(([endpoint, status]) => [endpoint, status])).toEqual([
      ['POST /user/delete', 500],
      ['POST /user/delete', 200],
    ]);
    expect(calls.every(([, , ms]) => ms >= 0)).toBe(true);
  });
});

describe('configuration', () => {
  const deps = { fetch: globalThis.fetch, logger: silentLogger() };

  it('keeps a path prefix of the base URL', async () => {
    const s = await serve(() => ok);
    const target = createLiteLLMClient(
      { baseUrl: `${s.url}/litellm/`, masterKey: MASTER_KEY },
      deps,
    );
    await target.deleteUser('u1');
    expect(s.requests[0]?.path).toBe('/litellm/user/delete');
  });

  it('rejects unusable settings with a ConfigError', () => {
    expect(() =>
      createLiteLLMClient({ baseUrl: 'not a url', masterKey: MASTER_KEY }, deps),
    ).toThrow(ConfigError);
    expect(() => createLiteLLMClient({ baseUrl: 'http://x', masterKey: ' ' }, deps)).toThrow(
      ConfigError,
    );
    expect(() =>
      createLiteLLMClient({ baseUrl: 'http://x', masterKey: 'k', concurrency: 0 }, deps),
    ).toThrow(ConfigError);
  });

  it('clamps the page size to LiteLLM’s maximum of 100', async () => {
    const s = await serve(() => ({ body: { teams: [], total_pages: 0 } }));
    await collect(clientFor(s, { pageSize: 500 }).target.listTeams());
    expect(s.requests[0]?.query.get('page_size')).toBe('100');
  });
});
