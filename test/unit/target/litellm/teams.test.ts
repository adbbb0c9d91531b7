import { afterEach, describe, expect, it } from 'vitest';
import { SyncError } from '../../../../src/errors.js';
import {
  MASTER_KEY,
  clientFor,
  collect,
  detailError,
  proxyError,
  startServer,
} from './fake-server.js';
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

const row = (id: string, extra: Record<string, unknown> = {}) => ({
  team_id: id,
  team_alias: `Team ${id}`,
  metadata: { idp_sync: { source: 'entra', external_id: id } },
  members_with_roles: [{ user_id: `${id}-owner`, user_email: null, role: 'admin' }],
  blocked: false,
  spend: 0,
  models: [],
  ...extra,
});

/** /v2/team/list over `pages`, LiteLLM's envelope. */
function teamPages(pages: unknown[][]): (request: Recorded) => Reply {
  const total = pages.flat().length;
  return request => {
    const page = Number(request.query.get('page'));
    const size = Number(request.query.get('page_size'));
    return {
      body: {
        teams: pages[page - 1] ?? [],
        total,
        page,
        page_size: size,
        total_pages: pages.length,
      },
    };
  };
}

describe('listTeams', () => {
  it('reads /v2/team/list page by page until total_pages, with the master key', async () => {
    const s = await serve(teamPages([[row('a'), row('b')], [row('c'), row('d')], [row('e')]]));
    const { target } = clientFor(s, { pageSize: 2 });
    const teams = await collect(target.listTeams());
    expect(teams.map(t => t.teamId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(s.requests.map(r => r.query.get('page'))).toEqual(['1', '2', '3']);
    expect(s.requests.every(r => r.path === '/v2/team/list' && r.method === 'GET')).toBe(true);
    expect(s.requests.every(r => r.query.get('page_size') === '2')).toBe(true);
    expect(s.requests[0]?.headers.authorization).toBe(`Bearer ${MASTER_KEY}`);
    expect(teams[0]).toEqual({
      teamId: 'a',
      alias: 'Team a',
      metadata: { idp_sync: { source: 'entra', external_id: 'a' } },
      members: [{ userId: 'a-owner', email: null, role: 'admin' }],
      blocked: false,
    });
  });

  it('asks for 100 rows per page by default', async () => {
    const s = await serve(teamPages([[row('a')]]));
    await collect(clientFor(s).target.listTeams());
    expect(s.requests[0]?.query.get('page_size')).toBe('100');
    expect(s.requests).toHaveLength(1);
  });

  it('stops on an empty page even if total_pages says more', async () => {
    const s = await serve(request => ({
      body: { teams: request.query.get('page') === '1' ? [row('a')] : [], total_pages: 9 },
    }));
    const teams = await collect(clientFor(s, { pageSize: 1 }).target.listTeams());
    expect(teams).toHaveLength(1);
    expect(s.requests).toHaveLength(2);
  });

  it('stops on an empty first page (total_pages 0)', async () => {
    const s = await serve(() => ({
      body: { teams: [], total: 0, page: 1, page_size: 100, total_pages: 0 },
    }));
    await expect(collect(clientFor(s).target.listTeams())).resolves.toEqual([]);
  });

  it('defaults nullable columns', async () => {
    const s = await serve(
      teamPages([[{ team_id: 'x', team_alias: null, metadata: null, members_with_roles: null }]]),
    );
    const [team] = await collect(clientFor(s).target.listTeams());
    expect(team).toEqual({ teamId: 'x', alias: null, metadata: {}, members: [], blocked: false });
  });

  it('does not yield a team twice when rows shift between pages', async () => {
    const s = await serve(
      teamPages([
        [row('a'), row('b')],
        [row('b'), row('c')],
      ]),
    );
    const teams = await collect(clientFor(s, { pageSize: 2 }).target.listTeams());
    expect(teams.map(t => t.teamId)).toEqual(['a', 'b', 'c']);
  });

  it('throws TARGET_INVALID_RESPONSE naming the endpoint and path when a page is malformed', async () => {
    const bad = { ...row('c'), members_with_roles: [{ user_id: 'u', role: 'owner' }] };
    const s = await serve(teamPages([[row('a'), row('b')], [bad, row('d')], [row('e')]]));
    const error = await collect(clientFor(s, { pageSize: 2 }).target.listTeams()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ code: 'TARGET_INVALID_RESPONSE', endpoint: 'GET /v2/team/list' });
    expect((error as Error).message).toContain('teams.0.members_with_roles.0.role');
    expect(s.requests).toHaveLength(2);
  });

  it('throws when the envelope itself is wrong', async () => {
    const s = await serve(() => ({ body: [row('a')] }));
    await expect(collect(clientFor(s).target.listTeams())).rejects.toMatchObject({
      code: 'TARGET_INVALID_RESPONSE',
    });
  });
});

describe('getTeam', () => {
  it('reads /team/info', async () => {
    const s = await serve(() => ({
      body: { team_id: 'g', team_info: row('g'), keys: [], team_memberships: [] },
    }));
    const team = await clientFor(s).target.getTeam('g');
    expect(team?.teamId).toBe('g');
    expect(s.requests[0]?.query.get('team_id')).toBe('g');
  });

  it('returns undefined for an unknown team (404, shape A)', async () => {
    const s = await serve(() =>
      proxyError(404, "{'message': 'Team not found, passed team id: g.'}", 'auth_error'),
    );
    await expect(clientFor(s).target.getTeam('g')).resolves.toBeUndefined();
  });

  it("fails on FastAPI's unknown-route 404 instead of reading it as 'absent'", async () => {
    const s = await serve(() => detailError(404, 'Not Found'));
    await expect(clientFor(s).target.getTeam('g')).rejects.toMatchObject({
      code: 'TARGET_NOT_FOUND',
    });
  });
});

describe('createTeam', () => {
  it('posts team_id, alias, metadata and only the template settings that are set', async () => {
    const s = await serve(request => ({ body: { ...row('g'), ...(request.body as object) } }));
    const result = await clientFor(s).target.createTeam({
      teamId: 'g',
      alias: 'Engineering',
      metadata: { idp_sync: { source: 'entra', external_id: 'g' } },
      settings: { models: ['gpt-4o'], max_budget: 10, tpm_limit: undefined },
    });
    expect(result).toBe('created');
    expect(s.requests[0]).toMatchObject({ method: 'POST', path: '/team/new' });
    expect(s.requests[0]?.body).toEqual({
      team_id: 'g',
      team_alias: 'Engineering',
      metadata: { idp_sync: { source: 'entra', external_id: 'g' } },
      models: ['gpt-4o'],
      max_budget: 10,
    });
  });

  it("reports an existing team_id as 'exists'", async () => {
    const s = await serve(() =>
      proxyError(400, "{'error': 'Team id = g already exists. Please use a different team id.'}"),
    );
    await expect(
      clientFor(s).target.createTeam({ teamId: 'g', alias: 'G', metadata: {} }),
    ).resolves.toBe('exists');
    expect(s.requests).toHaveLength(1);
  });

  it('surfaces other rejections with the cleaned message', async () => {
    const s = await serve(() => proxyError(400, "{'error': 'Organization not found'}"));
    const error = await clientFor(s)
      .target.createTeam({ teamId: 'g', alias: 'G', metadata: {} })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TARGET_REJECTED', status: 400 });
    expect((error as Error).message).toBe(
      'LiteLLM POST /team/new failed with HTTP 400: Organization not found',
    );
  });
});

describe('updateTeam', () => {
  it('posts only the fields in the patch', async () => {
    const s = await serve(() => ({ body: { team_id: 'g', data: row('g') } }));
    await clientFor(s).target.updateTeam('g', { alias: 'New name' });
    expect(s.requests[0]?.body).toEqual({ team_id: 'g', team_alias: 'New name' });
  });

  it('sends nothing for an empty patch', async () => {
    const s = await serve(() => ({ body: {} }));
    await clientFor(s).target.updateTeam('g', {});
    expect(s.requests).toHaveLength(0);
  });

  it('throws TARGET_NOT_FOUND for an unknown team', async () => {
    const s = await serve(() => proxyError(404, "{'error': 'Team not found, passed team_id=g'}"));
    await expect(clientFor(s).target.updateTeam('g', { alias: 'x' })).rejects.toMatchObject({
      code: 'TARGET_NOT_FOUND',
    });
  });
});

describe('addMembers', () => {
  it('uses the list form of `member`, by user_id, with a role per member', async () => {
    const s = await serve(() => ({
      body: { ...row('g'), updated_users: [], updated_team_memberships: [] },
    }));
    await clientFor(s).target.addMembers('g', [
      { userId: 'u1', role: 'user' },
      { userId: 'u2', role: 'admin' },
    ]);
    expect(s.requests[0]).toMatchObject({ method: 'POST', path: '/team/member_add' });
    expect(s.requests[0]?.body).toEqual({
      team_id: 'g',
      member: [
        { user_id: 'u1', role: 'user' },
        { user_id: 'u2', role: 'admin' },
      ],
    });
  });

  it('treats "already in team" as success', async () => {
    const s = await serve(() =>
      proxyError(
        400,
        'All users are already in team. Existing members=[...]',
        'team_member_already_in_team',
      ),
    );
    await expect(
      clientFor(s).target.addMembers('g', [{ userId: 'u1', role: 'user' }]),
    ).resolves.toBeUndefined();
  });

  it('sends large member lists in sequential batches of 100', async () => {
    const s = await serve(() => ({ body: row('g'), delayMs: 5 }));
    const members = Array.from({ length: 250 }, (_, i) => ({
      userId: `u${i}`,
      role: 'user' as const,
    }));
    await clientFor(s).target.addMembers('g', members);
    expect(s.requests.map(r => (r.body as { member: unknown[] }).member.length)).toEqual([
      100, 100, 50,
    ]);
    expect(s.maxInFlight()).toBe(1);
  });

  it('sends nothing for no members', async () => {
    const s = await serve(() => ({ body: {} }));
    await clientFor(s).target.addMembers('g', []);
    expect(s.requests).toHaveLength(0);
  });

  it('fails on an unknown team (404, shape B)', async () => {
    const s = await serve(() => detailError(404, { error: 'Team not found for team_id=g' }));
    await expect(
      clientFor(s).target.addMembers('g', [{ userId: 'u1', role: 'user' }]),
    ).rejects.toMatchObject({
      code: 'TARGET_NOT_FOUND',
    });
  });
});

describe('removeMember', () => {
  it('posts team_id and user_id', async () => {
    const s = await serve(() => ({ body: row('g') }));
    await expect(clientFor(s).target.removeMember('g', 'u1')).resolves.toBe('removed');
    expect(s.requests[0]).toMatchObject({
      path: '/team/member_delete',
      body: { team_id: 'g', user_id: 'u1' },
    });
  });

  it("reports 'absent' for a user who is not a member", async () => {
    const s = await serve(() => detailError(400, { error: 'User not found in team' }));
    await expect(clientFor(s).target.removeMember('g', 'u1')).resolves.toBe('absent');
  });

  it('fails when the team does not exist', async () => {
    const s = await serve(() => detailError(400, 'Team id=g does not exist in db'));
    await expect(clientFor(s).target.removeMember('g', 'u1')).rejects.toMatchObject({
      code: 'TARGET_REJECTED',
    });
  });
});
