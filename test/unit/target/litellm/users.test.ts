import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../src/log.js';
import { clientFor, collect, detailError, proxyError, startServer } from './fake-server.js';
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

const userRow = (id: string, extra: Record<string, unknown> = {}) => ({
  user_id: id,
  user_email: `${id}@example.org`,
  sso_user_id: null,
  user_role: 'internal_user',
  teams: ['g'],
  metadata: {},
  key_count: 0,
  spend: 0,
  ...extra,
});

const newUser = {
  userId: 'u1',
  email: 'u1@example.org',
  ssoUserId: 'oid-1',
  role: 'internal_user' as const,
  alias: 'User One',
  metadata: { idp_sync: { source: 'entra', external_id: 'oid-1' } },
};

describe('listUsers', () => {
  it('pages through /user/list', async () => {
    const pages = [[userRow('a'), userRow('b')], [userRow('c')]];
    const s = await serve(request => ({
      body: {
        users: pages[Number(request.query.get('page')) - 1] ?? [],
        total: 3,
        page: Number(request.query.get('page')),
        page_size: 2,
        total_pages: 2,
      },
    }));
    const users = await collect(clientFor(s, { pageSize: 2 }).target.listUsers());
    expect(users.map(u => u.userId)).toEqual(['a', 'b', 'c']);
    expect(users[0]).toEqual({
      userId: 'a',
      email: 'a@example.org',
      ssoUserId: null,
      role: 'internal_user',
      teams: ['g'],
      metadata: {},
    });
    expect(s.requests.map(r => r.query.get('page'))).toEqual(['1', '2']);
  });

  it('asks for 100 rows per page by default and falls back to short-page detection without total_pages', async () => {
    const s = await serve(() => ({ body: { users: [userRow('a')] } }));
    await expect(collect(clientFor(s).target.listUsers())).resolves.toHaveLength(1);
    expect(s.requests[0]?.query.get('page_size')).toBe('100');
    expect(s.requests).toHaveLength(1);
  });

  it('fails the whole list on a malformed row', async () => {
    const s = await serve(() => ({
      body: { users: [userRow('a'), { user_email: 'x' }], total_pages: 1 },
    }));
    const error = await collect(clientFor(s).target.listUsers()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TARGET_INVALID_RESPONSE', endpoint: 'GET /user/list' });
    expect((error as Error).message).toContain('users.1.user_id');
  });
});

describe('findUsers', () => {
  it('ORs the criteria with one query each and keeps exact matches only', async () => {
    const s = await serve(request => {
      const q = request.query;
      if (q.has('user_ids')) {
        // a single id is a substring match on LiteLLM's side
        return { body: { users: [userRow('u1'), userRow('u10')], total_pages: 1 } };
      }
      if (q.has('sso_user_ids')) {
        return { body: { users: [userRow('s', { sso_user_id: 'oid-9' })], total_pages: 1 } };
      }
      return {
        body: {
          users: [
            userRow('e1', { user_email: 'Ann@Example.org' }),
            userRow('e2', { user_email: 'joann@example.org' }),
          ],
          total_pages: 1,
        },
      };
    });
    const found = await clientFor(s).target.findUsers({
      userIds: ['u1'],
      ssoUserId: 'oid-9',
      email: 'ann@example.org',
    });
    expect(found.map(u => u.userId).sort()).toEqual(['e1', 's', 'u1']);
    expect(
      s.requests
        .map(r =>
          [...r.query.keys()].find(
            k => !['page', 'page_size', 'sort_by', 'sort_order'].includes(k),
          ),
        )
        .sort(),
    ).toEqual(['sso_user_ids', 'user_email', 'user_ids']);
    expect(s.requests.find(r => r.query.has('user_ids'))?.query.get('user_ids')).toBe('u1');
  });

  it('sends no request for an empty query', async () => {
    const s = await serve(() => ({ body: { users: [] } }));
    await expect(clientFor(s).target.findUsers({})).resolves.toEqual([]);
    expect(s.requests).toHaveLength(0);
  });

  it('joins several ids with commas', async () => {
    const s = await serve(() => ({
      body: { users: [userRow('a'), userRow('b')], total_pages: 1 },
    }));
    const found = await clientFor(s).target.findUsers({ userIds: ['a', 'b', 'a'] });
    expect(found.map(u => u.userId)).toEqual(['a', 'b']);
    expect(s.requests[0]?.query.get('user_ids')).toBe('a,b');
  });
});

describe('createUser', () => {
  it('always sends auto_create_key: false', async () => {
    const s = await serve(() => ({ body: { user_id: 'u1', key: '', teams: [] } }));
    await expect(clientFor(s).target.createUser(newUser)).resolves.toBe('created');
    expect(s.requests[0]).toMatchObject({ method: 'POST', path: '/user/new' });
    expect(s.requests[0]?.body).toEqual({
      user_id: 'u1',
      user_email: 'u1@example.org',
      sso_user_id: 'oid-1',
      user_role: 'internal_user',
      user_alias: 'User One',
      metadata: { idp_sync: { source: 'entra', external_id: 'oid-1' } },
      auto_create_key: false,
    });
  });

  it('leaves out null fields', async () => {
    const s = await serve(() => ({ body: { user_id: 'u1', key: '' } }));
    await clientFor(s).target.createUser({ ...newUser, email: null, ssoUserId: null, alias: null });
    expect(s.requests[0]?.body).toEqual({
      user_id: 'u1',
      user_role: 'internal_user',
      metadata: newUser.metadata,
      auto_create_key: false,
    });
  });

  it("reports 409 (LiteLLM >= Dec 2025) as 'exists'", async () => {
    const s = await serve(() =>
      proxyError(409, "{'error': 'User with id u1 already exists'}", 'internal_server_error'),
    );
    await expect(clientFor(s).target.createUser(newUser)).resolves.toBe('exists');
  });

  it("reports the older 400 'already exists' as 'exists'", async () => {
    const s = await serve(() =>
      proxyError(400, "{'error': 'User with email u1@example.org already exists'}"),
    );
    await expect(clientFor(s).target.createUser(newUser)).resolves.toBe('exists');
  });

  it('rejects an invalid role (422) without retrying', async () => {
    const s = await serve(() => ({
      status: 422,
      body: { detail: [{ loc: ['body', 'user_role'], msg: 'Input should be ...', type: 'enum' }] },
    }));
    const error = await clientFor(s)
      .target.createUser(newUser)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TARGET_REJECTED', status: 422 });
    expect((error as Error).message).toContain('body.user_role');
    expect(s.requests).toHaveLength(1);
  });

  it('warns, without the key, when the proxy minted a key anyway', async () => {
    const s = await serve(() => ({ body: { user_id: 'u1', key: 'sk-minted-secret' } }));
    const logger = silentLogger();
    const warn = vi.spyOn(logger, 'warn');
    await clientFor(s, {}, { logger }).target.createUser(newUser);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(warn.mock.calls)).not.toContain('sk-minted-secret');
  });
});

describe('updateUser', () => {
  it('posts user_id and the patched fields', async () => {
    const s = await serve(() => ({ body: { user_id: 'u1', data: userRow('u1') } }));
    await clientFor(s).target.updateUser('u1', {
      email: 'new@example.org',
      role: 'internal_user_viewer',
    });
    expect(s.requests[0]).toMatchObject({
      path: '/user/update',
      body: { user_id: 'u1', user_email: 'new@example.org', user_role: 'internal_user_viewer' },
    });
  });

  it('sends nothing for an empty patch', async () => {
    const s = await serve(() => ({ body: {} }));
    await clientFor(s).target.updateUser('u1', {});
    expect(s.requests).toHaveLength(0);
  });
});

describe('deleteUser', () => {
  it('posts user_ids: [id]', async () => {
    const s = await serve(() => ({ raw: '1' }));
    await expect(clientFor(s).target.deleteUser('u1')).resolves.toBe('deleted');
    expect(s.requests[0]).toMatchObject({ path: '/user/delete', body: { user_ids: ['u1'] } });
  });

  it("reports an unknown user (404) as 'absent'", async () => {
    const s = await serve(() => detailError(404, { error: 'User not found, passed user_id=u1' }));
    await expect(clientFor(s).target.deleteUser('u1')).resolves.toBe('absent');
  });

  it('does not mistake an unknown route for an unknown user', async () => {
    const s = await serve(() => detailError(404, 'Not Found'));
    await expect(clientFor(s).target.deleteUser('u1')).rejects.toMatchObject({
      code: 'TARGET_NOT_FOUND',
    });
  });
});
