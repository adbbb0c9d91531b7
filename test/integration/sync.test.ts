import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { IdpUser } from '../../src/model.js';
import { SyncError } from '../../src/errors.js';
import { comparable, startHarness, type Directory, type Harness } from '../helpers/harness.js';

const company: Directory = {
  users: [
    { id: 'alice', email: 'alice@example.com', name: 'Alice' },
    { id: 'bob', email: 'bob@example.com', name: 'Bob' },
    { id: 'carol', email: 'carol@example.com', name: 'Carol' },
    { id: 'dave', email: 'dave@example.com', name: 'Dave' },
    { id: 'erin', email: 'erin@example.com', name: 'Erin' },
  ],
  groups: [
    { id: 'g-eng', name: 'ai-eng', members: ['alice', 'bob'], groups: ['g-interns'] },
    { id: 'g-interns', name: 'ai-interns', members: ['carol'] },
    { id: 'g-ops', name: 'ai-ops', members: ['dave', 'erin', 'alice'] },
    { id: 'g-fin', name: 'finance', members: ['erin'] },
  ],
};

const withUser = (
  directory: Directory,
  id: string,
  change: Partial<Directory['users'][number]> | null,
): Directory => ({
  users:
    change === null
      ? directory.users.filter(u => u.id !== id)
      : directory.users.map(u => (u.id === id ? { ...u, ...change } : u)),
  groups: directory.groups.map(g => ({
    ...g,
    members: (g.members ?? []).filter(m => change !== null || m !== id),
  })),
});

const membersOf = (h: Harness, teamId: string): string[] =>
  (h.sim.state().teams.find(t => t.team_id === teamId)?.members_with_roles ?? [])
    .map(m => m.user_id ?? '')
    .sort();

describe('full sync through real HTTP against the LiteLLM simulator', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.writeDirectory(company);
  });
  afterEach(async () => h.close());

  it('creates teams, users and memberships, then makes zero writes on an immediate second sync', async () => {
    const first = await h.sync();
    expect(first.status).toBe('succeeded');
    const state = h.sim.state();
    expect(state.teams.map(t => [t.team_id, t.team_alias]).sort()).toEqual([
      ['g-eng', 'ai-eng'],
      ['g-interns', 'ai-interns'],
      ['g-ops', 'ai-ops'],
    ]);
    expect(membersOf(h, 'g-eng')).toEqual(expect.arrayContaining(['alice', 'bob', 'carol']));
    expect(membersOf(h, 'g-ops')).toEqual(expect.arrayContaining(['alice', 'dave', 'erin']));
    const alice = state.users.find(u => u.user_id === 'alice');
    expect(alice).toMatchObject({
      user_email: 'alice@example.com',
      sso_user_id: 'alice',
      user_role: 'internal_user',
    });
    expect(alice?.metadata).toMatchObject({ idp_sync: { source: 'file', external_id: 'alice' } });
    expect(state.keys).toEqual([]); // auto_create_key: false

    const writesAfterFirst = h.sim.writes().length;
    const second = await h.sync();
    expect(second.status).toBe('succeeded');
    expect(second.plan?.operations).toEqual([]);
    expect(h.sim.writes().length).toBe(writesAfterFirst);
  });

  it('removes only the grant when someone leaves a group; a member added by hand stays', async () => {
    await h.sync();
    await h.admin('/user/new', {
      user_id: 'manual-mallory',
      user_email: 'mallory@example.com',
      auto_create_key: false,
    });
    await h.admin('/team/member_add', {
      team_id: 'g-ops',
      member: [{ user_id: 'manual-mallory', role: 'user' }],
    });
    h.writeDirectory({
      ...company,
      groups: company.groups.map(g => (g.id === 'g-ops' ? { ...g, members: ['dave', 'erin'] } : g)),
    });

    const report = await h.sync();
    expect(report.status).toBe('succeeded');
    expect(report.plan?.operations).toEqual([
      { kind: 'removeMember', teamId: 'g-ops', userId: 'alice' },
    ]);
    expect(membersOf(h, 'g-ops')).toEqual(
      expect.arrayContaining(['dave', 'erin', 'manual-mallory']),
    );
    expect(membersOf(h, 'g-ops')).not.toContain('alice');
    expect(membersOf(h, 'g-eng')).toContain('alice');
  });

  it('deprovisions a disabled and a deleted user with every key gone, keeping the team service key', async () => {
    await h.sync();
    await h.admin('/key/generate', { user_id: 'bob', team_id: 'g-eng', key_alias: 'bob-team' });
    await h.admin('/key/generate', { user_id: 'bob', key_alias: 'bob-personal' });
    await h.admin('/key/generate', { user_id: 'dave', team_id: 'g-ops', key_alias: 'dave-team' });
    await h.admin('/key/generate', { team_id: 'g-eng', key_alias: 'eng-service' });
    await h.admin('/key/generate', { user_id: 'alice', key_alias: 'alice-personal' });
    h.writeDirectory(withUser(withUser(company, 'bob', { status: 'disabled' }), 'dave', null));

    const report = await h.sync();
    expect(report.status).toBe('succeeded');
    expect(report.keysDeleted).toBe(3);
    const state = h.sim.state();
    expect(state.users.map(u => u.user_id)).not.toContain('bob');
    expect(state.users.map(u => u.user_id)).not.toContain('dave');
    expect(state.keys.map(k => k.key_alias).sort()).toEqual(['alice-personal', 'eng-service']);
    expect(membersOf(h, 'g-eng')).not.toContain('bob');
    expect(report.plan?.operations.filter(op => op.kind === 'deprovisionUser')).toEqual([
      {
        kind: 'deprovisionUser',
        userId: 'bob',
        externalId: 'bob',
        reason: 'disabled',
        teams: ['g-eng'],
      },
      {
        kind: 'deprovisionUser',
        userId: 'dave',
        externalId: 'dave',
        reason: 'deleted',
        teams: ['g-ops'],
      },
    ]);
  });

  it('never touches an unmanaged LiteLLM user the IdP does not know', async () => {
    await h.admin('/user/new', {
      user_id: 'svc-ci',
      user_email: 'ci@example.com',
      auto_create_key: true,
    });
    await h.sync();
    h.writeDirectory(withUser(company, 'erin', null));
    await h.sync();
    const state = h.sim.state();
    expect(state.users.find(u => u.user_id === 'svc-ci')).toBeDefined();
    expect(state.keys.filter(k => k.user_id === 'svc-ci')).toHaveLength(1);
  });

  it('refuses a mass deprovision with exit code 3, and --force applies it', async () => {
    expect((await h.cli(['sync'])).code).toBe(0);
    h.writeDirectory({
      users: company.users.filter(u => u.id === 'alice'),
      groups: [{ id: 'g-eng', name: 'ai-eng', members: ['alice'] }],
    });
    const refused = await h.cli(['sync'], { DEPROVISION_MAX: '2' });
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('REFUSED: 4 deprovisions exceed DEPROVISION_MAX=2');
    expect(h.sim.state().users).toHaveLength(5 + 1); // + the master key's default_user_id team admin
    const forced = await h.cli(['sync', '--force'], { DEPROVISION_MAX: '2' });
    expect(forced.code).toBe(0);
    expect(
      h.sim
        .state()
        .users.map(u => u.user_id)
        .filter(id => id !== 'default_user_id'),
    ).toEqual(['alice']);
  });

  it('retries 429s and 500s on writes to success', async () => {
    h.sim.setFaults([
      { method: 'POST', path: '/team/new', status: 429, times: 2 },
      { method: 'POST', path: '/user/new', status: 500, times: 3 },
      { method: 'POST', path: '/team/member_add', status: 503, times: 2 },
    ]);
    const report = await h.sync();
    expect(report.status).toBe('succeeded');
    const faulty = comparable(h.sim.state());
    const clean = await startHarness();
    clean.writeDirectory(company);
    await clean.sync();
    expect(faulty).toEqual(comparable(clean.sim.state()));
    await clean.close();
  });
});

describe('incomplete reads', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('an IdP list failing on its second page makes the run incomplete and removes nothing', async () => {
    h = await startHarness();
    h.writeDirectory(company);
    await h.sync();
    h.writeDirectory({
      users: [
        ...company.users.filter(u => u.id !== 'bob'),
        { id: 'frank', email: 'frank@example.com' },
      ],
      groups: [
        ...company.groups.map(g => ({ ...g, members: (g.members ?? []).filter(m => m !== 'bob') })),
        { id: 'g-new', name: 'ai-new', members: ['frank'] },
      ],
    });
    const report = await h.sync({
      deps: deps => ({
        ...deps,
        source: {
          ...deps.source,
          listUsers: signal => failOnSecondPage(deps.source.listUsers(signal), 2),
        },
      }),
    });
    expect(report.status).toBe('incomplete');
    expect(report.complete).toBe(false);
    expect(report.problems[0]).toContain('page 2');
    expect(h.sim.state().users.map(u => u.user_id)).toContain('bob');
    expect(membersOf(h, 'g-eng')).toContain('bob');
    expect(h.sim.state().teams.map(t => t.team_id)).toContain('g-new'); // creations still apply
  });

  it('a LiteLLM list failing on its second page fails the run before any write', async () => {
    h = await startHarness({ pageSize: 2 });
    h.writeDirectory(company);
    await h.sync();
    h.writeDirectory(withUser(company, 'erin', null));
    const writes = h.sim.writes().length;
    h.sim.setFaults([{ method: 'GET', path: '/user/list', status: 500, afterCalls: 1 }]);
    const report = await h.sync();
    expect(report.status).toBe('failed');
    expect(report.error).toContain('reading LiteLLM');
    expect(h.sim.writes().length).toBe(writes);
  });
});

/** Yields the first page of an IdP list, then fails like a 500 on the next page. */
async function* failOnSecondPage(
  users: AsyncIterable<IdpUser>,
  pageSize: number,
): AsyncIterable<IdpUser> {
  let n = 0;
  for await (const user of users) {
    if (n === pageSize) {
      throw new SyncError('SOURCE_UNAVAILABLE', 'page 2 of users answered 500');
    }
    n += 1;
    yield user;
  }
}
