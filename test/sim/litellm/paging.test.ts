import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { LiteLLMSimulator } from '../../../src/sim/litellm/types.js';
import { pluck, startSim, type SimClient } from './sim-client.js';

let sim: LiteLLMSimulator;
let api: SimClient;

beforeEach(async () => {
  ({ sim, api } = await startSim({ adminUserId: null }));
});
afterEach(async () => {
  await sim.close();
});

async function makeTeams(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    const id = `team-${String(i).padStart(3, '0')}`;
    const res = await api.post('/team/new', { team_id: id, team_alias: `Alias ${i}` });
    expect(res.status).toBe(200);
  }
}

describe('GET /v2/team/list', () => {
  it('defaults to page 1 of 10, newest first, with the paging envelope', async () => {
    await makeTeams(23);
    const res = await api.get('/v2/team/list');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 23, page: 1, page_size: 10, total_pages: 3 });
    expect(res.body.teams).toHaveLength(10);
    expect(res.body.teams[0].team_id).toBe('team-022');
    expect(res.body.teams[9].team_id).toBe('team-013');
    expect(res.body.teams[0]).toHaveProperty('members_with_roles');
    expect(res.body.teams[0]).toHaveProperty('metadata');
  });

  it('walks every page exactly once and returns an empty list past the end', async () => {
    await makeTeams(23);
    const seen: unknown[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const res = await api.get(`/v2/team/list?page=${page}&page_size=10`);
      seen.push(...pluck(res.body.teams, 'team_id'));
    }
    expect(new Set(seen).size).toBe(23);
    const past = await api.get('/v2/team/list?page=4&page_size=10');
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ teams: [], total: 23, page: 4, total_pages: 3 });
  });

  it('accepts page_size 100 and refuses 101 and page 0 with one 422', async () => {
    await makeTeams(3);
    expect((await api.get('/v2/team/list?page_size=100')).body.page_size).toBe(100);
    const res = await api.get('/v2/team/list?page_size=101&page=0');
    expect(res.status).toBe(422);
    expect(pluck(res.body.detail, 'loc')).toEqual([
      ['query', 'page'],
      ['query', 'page_size'],
    ]);
    expect(res.body.detail[1]).toMatchObject({ type: 'less_than_equal', input: '101' });
  });

  it('filters team_id exactly and team_alias as a case-insensitive substring', async () => {
    await makeTeams(12);
    const exact = await api.get('/v2/team/list?team_id=team-001');
    expect(pluck(exact.body.teams, 'team_id')).toEqual(['team-001']);
    const partial = await api.get('/v2/team/list?team_id=team-00');
    expect(partial.body.total).toBe(0);
    const alias = await api.get('/v2/team/list?team_alias=ALIAS%201');
    expect(alias.body.total).toBe(3); // Alias 1, Alias 10, Alias 11
  });

  it('filters by user_id through the user row and 404s for an unknown user', async () => {
    await makeTeams(3);
    await api.post('/team/member_add', {
      team_id: 'team-001',
      member: { user_id: 'u1', role: 'user' },
    });
    const res = await api.get('/v2/team/list?user_id=u1');
    expect(pluck(res.body.teams, 'team_id')).toEqual(['team-001']);
    const unknown = await api.get('/v2/team/list?user_id=ghost');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: { error: 'User not found, passed user_id=ghost' } });
  });

  it('sorts by team_alias when asked', async () => {
    await api.post('/team/new', { team_id: 'b', team_alias: 'beta' });
    await api.post('/team/new', { team_id: 'a', team_alias: 'alpha' });
    await api.post('/team/new', { team_id: 'n' });
    const asc = await api.get('/v2/team/list?sort_by=team_alias&sort_order=asc');
    // Postgres puts NULLs last when ascending.
    expect(pluck(asc.body.teams, 'team_id')).toEqual(['a', 'b', 'n']);
  });
});

describe('GET /team/list', () => {
  it('returns a bare array sorted by alias, each with keys and team_memberships', async () => {
    await api.post('/team/new', { team_id: 'z', team_alias: 'zulu' });
    await api.post('/team/new', { team_id: 'y', team_alias: 'alpha' });
    const res = await api.get('/team/list');
    expect(Array.isArray(res.body)).toBe(true);
    expect(pluck(res.body, 'team_id')).toEqual(['y', 'z']);
    expect(res.body[0]).toMatchObject({ keys: [], team_memberships: [] });
  });
});

describe('GET /user/list', () => {
  beforeEach(async () => {
    for (let i = 0; i < 30; i += 1) {
      const body = {
        user_id: `user-${i}`,
        user_email: `U${i}@Example.com`,
        auto_create_key: false,
      };
      expect((await api.post('/user/new', body)).status).toBe(200);
    }
  });

  it('defaults to 25 per page and caps page_size at 100', async () => {
    const res = await api.get('/user/list');
    expect(res.body).toMatchObject({ total: 30, page: 1, page_size: 25, total_pages: 2 });
    expect(res.body.users).toHaveLength(25);
    expect(res.body.users[0]).toMatchObject({ user_id: 'user-29', key_count: 0 });
    expect((await api.get('/user/list?page_size=101')).status).toBe(422);
    expect((await api.get('/user/list?page=2')).body.users).toHaveLength(5);
  });

  it('matches one user_ids value as a substring but several exactly', async () => {
    const one = await api.get('/user/list?user_ids=USER-2');
    expect(one.body.total).toBe(11); // user-2, user-20 … user-29
    const several = await api.get('/user/list?user_ids=user-2,user-3');
    expect(pluck(several.body.users, 'user_id').sort()).toEqual(['user-2', 'user-3']);
  });

  it('filters user_email as a case-insensitive substring and refuses a bad sort column', async () => {
    expect((await api.get('/user/list?user_email=u1%40example')).body.total).toBe(1);
    const bad = await api.get('/user/list?sort_by=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.detail.error).toMatch(/^Invalid sort column/);
  });
});

describe('GET /key/list', () => {
  it('pages with size (default 10, max 100) and returns hashes unless full objects are asked', async () => {
    for (let i = 0; i < 12; i += 1) {
      await api.post('/key/generate', { user_id: 'owner', key_alias: `k${i}` });
    }
    await api.post('/key/generate', { user_id: 'owner', team_id: 'litellm-dashboard' });
    const res = await api.get('/key/list');
    expect(res.body).toMatchObject({ total_count: 12, current_page: 1, total_pages: 2 });
    expect(res.body.keys).toHaveLength(10);
    expect(res.body.keys[0]).toMatch(/^[0-9a-f]{64}$/);
    const full = await api.get('/key/list?return_full_object=true&size=100&user_id=owner');
    expect(full.body.keys).toHaveLength(12);
    expect(full.body.keys[0]).toMatchObject({ key_alias: 'k11', user_id: 'owner' });
    const tooBig = await api.get('/key/list?size=101');
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.detail[0]).toMatchObject({
      loc: ['query', 'size'],
      type: 'less_than_equal',
    });
  });
});
