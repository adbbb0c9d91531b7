import { createHash } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { LiteLLMSimulator } from '../../../src/sim/litellm/types.js';
import { clientFor, pluck, startSim, text, type SimClient } from './sim-client.js';

let sim: LiteLLMSimulator;
let api: SimClient;

beforeEach(async () => {
  ({ sim, api } = await startSim({ adminUserId: null }));
});
afterEach(async () => {
  await sim.close();
});

describe('POST /user/new', () => {
  it('creates a key by default and returns its plaintext once', async () => {
    const res = await api.post('/user/new', { user_id: 'u1', user_email: 'u1@x.io' });
    expect(res.status).toBe(200);
    expect(res.body.key).toMatch(/^sk-[A-Za-z0-9_-]{22}$/);
    expect(res.body).not.toHaveProperty('token');
    const [key] = sim.state().keys;
    expect(key?.token).toBe(createHash('sha256').update(text(res.body.key)).digest('hex'));
    expect(key).toMatchObject({ user_id: 'u1', key_name: `sk-...${text(res.body.key).slice(-4)}` });
    // The plaintext authenticates nothing admin-like: its user is not a proxy admin.
    expect((await clientFor(sim.url, text(res.body.key)).get('/team/list')).status).toBe(401);
  });

  it('returns key "" and creates no key with auto_create_key: false', async () => {
    const res = await api.post('/user/new', { user_id: 'u1', auto_create_key: false });
    expect(res.body.key).toBe('');
    expect(sim.state().keys).toEqual([]);
  });

  it('answers 409 for an existing user_id and for an e-mail equal ignoring case and spaces', async () => {
    await api.post('/user/new', { user_id: 'u1', user_email: 'Ann@X.io', auto_create_key: false });
    const sameId = await api.post('/user/new', { user_id: 'u1' });
    expect(sameId.status).toBe(409);
    expect(sameId.body.error).toMatchObject({
      message: "{'error': 'User with id u1 already exists'}",
      type: 'internal_server_error',
      code: '409',
    });
    const sameMail = await api.post('/user/new', { user_id: 'u2', user_email: '  ann@x.IO ' });
    expect(sameMail.status).toBe(409);
    expect(sameMail.body.error.message).toBe(
      "{'error': 'User with email Ann@X.io already exists'}",
    );
    expect(sim.state().users).toHaveLength(1);
    expect(sim.state().keys).toHaveLength(0);
  });

  it('joins listed teams and swallows the failures', async () => {
    await api.post('/team/new', { team_id: 't1' });
    const res = await api.post('/user/new', {
      user_id: 'u1',
      teams: ['t1', 'missing-team'],
      auto_create_key: false,
    });
    expect(res.status).toBe(200);
    expect(sim.state().users[0]?.teams).toEqual(['t1']);
    expect(sim.state().teams[0]?.members_with_roles).toEqual([
      { user_id: 'u1', user_email: null, role: 'user' },
    ]);
  });

  it('refuses a clashing sso_user_id without creating anything', async () => {
    await api.post('/user/new', { user_id: 'u1', sso_user_id: 'sso-1', auto_create_key: false });
    const res = await api.post('/user/new', { user_id: 'u2', sso_user_id: 'sso-1' });
    expect(res.status).toBe(500);
    expect(res.body.error.message).toBe("{'error': 'Internal Server Error.'}");
    expect(sim.state().users.map(u => u.user_id)).toEqual(['u1']);
  });
});

describe('POST /user/update', () => {
  it('ignores null, [] and {} and writes the rest', async () => {
    await api.post('/user/new', {
      user_id: 'u1',
      models: ['gpt-4'],
      metadata: { a: 1 },
      auto_create_key: false,
    });
    const res = await api.post('/user/update', {
      user_id: 'u1',
      models: [],
      metadata: {},
      user_alias: null,
      user_role: 'internal_user_viewer',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: 'u1', data: { user_role: 'internal_user_viewer' } });
    expect(sim.state().users[0]).toMatchObject({ models: ['gpt-4'], metadata: { a: 1 } });
  });

  it('updates only the first user with an e-mail, or creates a new uuid user', async () => {
    await api.post('/team/new', { team_id: 't1' });
    for (const id of ['a', 'b']) {
      await api.post('/team/member_add', {
        team_id: 't1',
        member: { user_id: id, role: 'user' },
      });
      await api.post('/user/update', { user_id: id, user_email: 'same@x.io' });
    }
    await api.post('/user/update', { user_email: 'same@x.io', user_alias: 'first' });
    expect(sim.state().users.map(u => u.user_alias)).toEqual(['first', null]);
    const created = await api.post('/user/update', { user_email: 'new@x.io' });
    expect(created.status).toBe(200);
    expect(created.body.user_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sim.state().users).toHaveLength(3);
  });
});

describe('POST /user/delete', () => {
  it('deletes every key of the user and removes them from their teams', async () => {
    await api.post('/team/new', { team_id: 't1' });
    await api.post('/team/member_add', {
      team_id: 't1',
      member: [
        { user_id: 'u1', role: 'user' },
        { user_id: 'u2', role: 'user' },
      ],
    });
    await api.post('/key/generate', { user_id: 'u1', team_id: 't1' });
    await api.post('/key/generate', { user_id: 'u1' });
    await api.post('/key/generate', { user_id: 'u1', team_id: 'litellm-dashboard' });
    await api.post('/key/generate', { user_id: 'u2', key_alias: 'keep' });
    const res = await api.post('/user/delete', { user_ids: ['u1'] });
    expect(res.status).toBe(200);
    expect(res.body).toBe(1);
    expect(sim.state().users.map(u => u.user_id)).toEqual(['u2']);
    expect(sim.state().teams[0]?.members_with_roles.map(m => m.user_id)).toEqual(['u2']);
    expect(sim.state().keys.map(k => k.key_alias)).toEqual(['keep']);
  });

  it('404s on an unknown id after cleaning up the memberships of the earlier ids', async () => {
    await api.post('/team/new', { team_id: 't1' });
    await api.post('/team/member_add', { team_id: 't1', member: { user_id: 'u1', role: 'user' } });
    await api.post('/key/generate', { user_id: 'u1' });
    const res = await api.post('/user/delete', { user_ids: ['u1', 'ghost'] });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: { error: 'User not found, passed user_id=ghost' } });
    // Partial side effect, as in LiteLLM: u1 left the team but still exists with its key.
    expect(sim.state().teams[0]?.members_with_roles).toEqual([]);
    expect(sim.state().users.map(u => u.user_id)).toEqual(['u1']);
    expect(sim.state().keys).toHaveLength(1);
  });
});

describe('GET /user/info', () => {
  it('returns the user, their keys with team_alias and their teams', async () => {
    await api.post('/team/new', { team_id: 't1', team_alias: 'One' });
    await api.post('/team/member_add', { team_id: 't1', member: { user_id: 'u1', role: 'user' } });
    await api.post('/key/generate', { user_id: 'u1', team_id: 't1' });
    await api.post('/key/generate', { user_id: 'u1' });
    const res = await api.get('/user/info?user_id=u1');
    expect(res.body.user_info.user_id).toBe('u1');
    expect(pluck(res.body.keys, 'team_alias')).toEqual(['One', 'None']);
    expect(pluck(res.body.teams, 'team_id')).toEqual(['t1']);
    const missing = await api.get('/user/info?user_id=ghost');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('User ghost not found');
  });
});
