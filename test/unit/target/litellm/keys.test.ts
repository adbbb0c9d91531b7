import { afterEach, describe, expect, it } from 'vitest';
import { clientFor, collect, proxyError, startServer } from './fake-server.js';
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

const keyRow = (token: string, extra: Record<string, unknown> = {}) => ({
  token,
  key_name: 'sk-...abcd',
  key_alias: `alias-${token}`,
  user_id: 'u1',
  team_id: null,
  blocked: null,
  metadata: {},
  spend: 1.5,
  ...extra,
});

/** /key/list over `pages`, LiteLLM's envelope. */
function keyPages(pages: unknown[][]): (request: Recorded) => Reply {
  return request => {
    const page = Number(request.query.get('page'));
    return {
      body: {
        keys: pages[page - 1] ?? [],
        total_count: pages.flat().length,
        current_page: page,
        total_pages: pages.length,
      },
    };
  };
}

describe('listUserKeys', () => {
  it('pages /key/list?user_id=&return_full_object=true&size=&page=N', async () => {
    const s = await serve(
      keyPages([
        [keyRow('h1'), keyRow('h2')],
        [keyRow('h3'), keyRow('h4')],
        [keyRow('h5', { team_id: 'g', blocked: true })],
      ]),
    );
    const keys = await collect(clientFor(s, { pageSize: 2 }).target.listUserKeys('u1'));
    expect(keys.map(k => k.token)).toEqual(['h1', 'h2', 'h3', 'h4', 'h5']);
    expect(keys[4]).toEqual({
      token: 'h5',
      userId: 'u1',
      teamId: 'g',
      alias: 'alias-h5',
      blocked: true,
      metadata: {},
    });
    expect(keys[0]?.blocked).toBe(false);
    expect(s.requests.map(r => Object.fromEntries(r.query))).toEqual(
      [1, 2, 3].map(page => ({
        user_id: 'u1',
        return_full_object: 'true',
        size: '2',
        page: String(page),
      })),
    );
    expect(s.requests.every(r => r.path === '/key/list')).toBe(true);
  });

  it('uses size=100 by default', async () => {
    const s = await serve(keyPages([[keyRow('h1')]]));
    await collect(clientFor(s).target.listUserKeys('u1'));
    expect(s.requests[0]?.query.get('size')).toBe('100');
  });

  it('yields nothing when a later page is malformed (no partial list)', async () => {
    const s = await serve(
      keyPages([[keyRow('h1'), keyRow('h2')], [keyRow('h3'), 'h4'], [keyRow('h5')]]),
    );
    const seen: string[] = [];
    const error = await (async () => {
      for await (const key of clientFor(s, { pageSize: 2 }).target.listUserKeys('u1')) {
        seen.push(key.token);
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TARGET_INVALID_RESPONSE', endpoint: 'GET /key/list' });
    expect((error as Error).message).toContain('keys.1');
    expect(seen).toEqual([]);
  });

  it('refuses keys of another user (the server ignored the filter)', async () => {
    const s = await serve(keyPages([[keyRow('h1'), keyRow('h2', { user_id: 'someone-else' })]]));
    await expect(collect(clientFor(s).target.listUserKeys('u1'))).rejects.toMatchObject({
      code: 'TARGET_INVALID_RESPONSE',
    });
  });
});

describe('deleteKeys', () => {
  it('deletes in batches of at most 100 hashes', async () => {
    const s = await serve(request => ({
      body: { deleted_keys: (request.body as { keys: string[] }).keys },
    }));
    const tokens = Array.from({ length: 250 }, (_, i) => `h${i}`);
    await clientFor(s).target.deleteKeys([...tokens, 'h0']);
    expect(s.requests.map(r => (r.body as { keys: string[] }).keys.length)).toEqual([100, 100, 50]);
    expect(s.requests.flatMap(r => (r.body as { keys: string[] }).keys)).toEqual(tokens);
    expect(s.requests.every(r => r.path === '/key/delete' && r.method === 'POST')).toBe(true);
  });

  it('treats "No keys found" (404) as deleted', async () => {
    const s = await serve(() => proxyError(404, "{'error': 'No keys found'}"));
    await expect(clientFor(s).target.deleteKeys(['h1'])).resolves.toBeUndefined();
  });

  it('sends nothing for no tokens', async () => {
    const s = await serve(() => ({ body: {} }));
    await clientFor(s).target.deleteKeys([]);
    expect(s.requests).toHaveLength(0);
  });
});

describe('blockKey / unblockKey', () => {
  it('posts {key} to /key/block and /key/unblock', async () => {
    const s = await serve(request => ({
      body: keyRow('h1', { blocked: request.path === '/key/block' }),
    }));
    const { target } = clientFor(s);
    await target.blockKey('h1');
    await target.unblockKey('h1');
    expect(s.requests.map(r => [r.path, r.body])).toEqual([
      ['/key/block', { key: 'h1' }],
      ['/key/unblock', { key: 'h1' }],
    ]);
  });

  it('surfaces "Invalid key format." as TARGET_REJECTED', async () => {
    const s = await serve(() => proxyError(400, 'Invalid key format.', 'bad_request_error'));
    await expect(clientFor(s).target.blockKey('nope')).rejects.toMatchObject({
      code: 'TARGET_REJECTED',
    });
  });
});
