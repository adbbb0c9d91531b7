import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { LiteLLMSimulator } from '../../../src/sim/litellm/types.js';
import { startSim, type SimClient } from './sim-client.js';

let sim: LiteLLMSimulator;
let api: SimClient;

async function boot(options: { premium?: boolean } = {}) {
  ({ sim, api } = await startSim({ adminUserId: null, ...options }));
  expect((await api.post('/team/new', { team_id: 't1', team_alias: 'One' })).status).toBe(200);
}

afterEach(async () => {
  await sim.close();
});

function team(id: string) {
  const found = sim.state().teams.find(t => t.team_id === id);
  if (!found) {
    throw new Error(`no team ${id}`);
  }
  return found;
}

function user(id: string) {
  return sim.state().users.find(u => u.user_id === id);
}

describe('POST /team/member_add', () => {
  beforeEach(() => boot());

  it('upserts the user as internal_user and records the membership on both sides', async () => {
    const res = await api.post('/team/member_add', {
      team_id: 't1',
      member: { user_id: 'u1', user_email: 'u1@x.io', role: 'user' },
    });
    expect(res.status).toBe(200);
    expect(res.body.members_with_roles).toEqual([
      { user_id: 'u1', user_email: 'u1@x.io', role: 'user' },
    ]);
    expect(res.body.updated_users).toHaveLength(1);
    expect(user('u1')).toMatchObject({ user_role: 'internal_user', teams: ['t1'] });
    // LiteLLM creates a user_id member's row without copying the e-mail.
    expect(user('u1')?.user_email).toBeNull();
  });

  it('refuses a single member already in the team with shape A team_member_already_in_team', async () => {
    await api.post('/team/member_add', { team_id: 't1', member: { user_id: 'u1', role: 'user' } });
    const res = await api.post('/team/member_add', {
      team_id: 't1',
      member: { user_id: 'u1', role: 'user' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      type: 'team_member_already_in_team',
      code: '400',
      param: 'member',
    });
    expect(res.body.error.message).toBe(
      "User already in team. Member: user_id=u1, user_email=None. Existing members=[Member(user_id='u1', user_email=None, role='user')]",
    );
  });

  it('refuses a list whose members are all present', async () => {
    const both = [
      { user_id: 'u1', role: 'user' },
      { user_id: 'u2', role: 'user' },
    ];
    await api.post('/team/member_add', { team_id: 't1', member: both });
    const res = await api.post('/team/member_add', { team_id: 't1', member: both });
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('team_member_already_in_team');
    expect(res.body.error.message).toMatch(/^All users are already in team\. Existing members=\[/);
  });

  it('skips the present members of a partial list and adds the rest', async () => {
    await api.post('/team/member_add', { team_id: 't1', member: { user_id: 'u1', role: 'user' } });
    const writesBefore = sim.writes().length;
    const res = await api.post('/team/member_add', {
      team_id: 't1',
      member: [
        { user_id: 'u1', role: 'user' },
        { user_id: 'u2', role: 'user' },
      ],
    });
    expect(res.status).toBe(200);
    expect(team('t1').members_with_roles.map(m => m.user_id)).toEqual(['u1', 'u2']);
    expect(user('u1')?.teams).toEqual(['t1']);
    expect(user('u2')?.teams).toEqual(['t1']);
    expect(sim.writes()).toHaveLength(writesBefore + 1);
  });

  it('refuses an admin member without a licence (400 shape B) and changes nothing', async () => {
    const res = await api.post('/team/member_add', {
      team_id: 't1',
      member: { user_id: 'boss', role: 'admin' },
    });
    expect(res.status).toBe(400);
    expect(res.body.detail.error).toMatch(/^Assigning team admins is a premium feature\./);
    expect(user('boss')).toBeUndefined();
    expect(team('t1').members_with_roles).toEqual([]);
  });

  it('gives an e-mail-only member a new random-uuid user and fills in the id', async () => {
    await api.post('/team/member_add', {
      team_id: 't1',
      member: { user_email: 'new@x.io', role: 'user' },
    });
    const [member] = team('t1').members_with_roles;
    expect(member?.user_email).toBe('new@x.io');
    expect(member?.user_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(user(member?.user_id ?? '')).toMatchObject({ user_email: 'new@x.io', teams: ['t1'] });
  });
});

describe('premium', () => {
  it('allows team admins with premium: true', async () => {
    await boot({ premium: true });
    const res = await api.post('/team/member_add', {
      team_id: 't1',
      member: { user_id: 'boss', role: 'admin' },
    });
    expect(res.status).toBe(200);
    expect(team('t1').members_with_roles).toEqual([
      { user_id: 'boss', user_email: null, role: 'admin' },
    ]);
  });
});

describe('POST /team/member_delete', () => {
  beforeEach(() => boot());

  it("deletes the member's keys for this team only and keeps their other keys", async () => {
    await api.post('/team/new', { team_id: 't2' });
    await api.post('/team/member_add', { team_id: 't1', member: { user_id: 'u1', role: 'user' } });
    await api.post('/team/member_add', { team_id: 't2', member: { user_id: 'u1', role: 'user' } });
    await api.post('/key/generate', { user_id: 'u1', team_id: 't1', key_alias: 'in-t1' });
    await api.post('/key/generate', { user_id: 'u1', team_id: 't2', key_alias: 'in-t2' });
    await api.post('/key/generate', { user_id: 'u1', key_alias: 'personal' });
    await api.post('/key/generate', { user_id: 'u2', team_id: 't1', key_alias: 'other-user' });

    const res = await api.post('/team/member_delete', { team_id: 't1', user_id: 'u1' });
    expect(res.status).toBe(200);
    expect(res.body.members_with_roles).toEqual([]);
    expect(user('u1')?.teams).toEqual(['t2']);
    expect(sim.state().keys.map(k => k.key_alias)).toEqual(['in-t2', 'personal', 'other-user']);
  });
});

describe('POST /team/new and /team/delete', () => {
  it('adds the master key caller as admin, yet answers with members_with_roles: []', async () => {
    ({ sim, api } = await startSim());
    const res = await api.post('/team/new', {
      team_id: 't',
      members_with_roles: [{ user_id: 'u1', role: 'user' }],
    });
    expect(res.body.members_with_roles).toEqual([]);
    expect(team('t').members_with_roles).toEqual([
      { user_id: 'u1', user_email: null, role: 'user' },
      { user_id: 'default_user_id', user_email: null, role: 'admin' },
    ]);
  });

  it('deletes the team, its keys and the memberships on the user side', async () => {
    await boot();
    await api.post('/team/member_add', { team_id: 't1', member: { user_id: 'u1', role: 'user' } });
    await api.post('/key/generate', { user_id: 'u1', team_id: 't1' });
    await api.post('/key/generate', { user_id: 'u1', key_alias: 'personal' });
    const res = await api.post('/team/delete', { team_ids: ['t1'] });
    expect(res.body).toEqual({ deleted_teams: ['t1'] });
    expect(sim.state().teams).toEqual([]);
    expect(user('u1')?.teams).toEqual([]);
    expect(sim.state().keys.map(k => k.key_alias)).toEqual(['personal']);
  });
});
