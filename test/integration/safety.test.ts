import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { reconcileFull } from '../../src/reconcile/reconcile-full.js';
import type { RunReport } from '../../src/reconcile/run-types.js';
import { startHarness, type Directory, type Harness } from '../helpers/harness.js';

const company: Directory = {
  users: [
    { id: 'alice', email: 'alice@example.com' },
    { id: 'bob', email: 'bob@example.com' },
    { id: 'carol', email: 'carol@example.com' },
    { id: 'dave', email: 'dave@example.com' },
  ],
  groups: [
    { id: 'g-eng', name: 'ai-eng', members: ['alice', 'bob', 'carol'] },
    { id: 'g-ops', name: 'ai-ops', members: ['dave', 'alice'] },
  ],
};
const only = (ids: string[]): Directory => ({
  users: company.users.filter(u => ids.includes(u.id)),
  groups: company.groups.map(g => ({
    ...g,
    members: (g.members ?? []).filter(m => ids.includes(m)),
  })),
});
const userIds = (h: Harness): string[] =>
  h.sim
    .state()
    .users.map(u => u.user_id)
    .filter(id => id !== 'default_user_id')
    .sort();
const members = (h: Harness, teamId: string): string[] =>
  (h.sim.state().teams.find(t => t.team_id === teamId)?.members_with_roles ?? [])
    .map(m => m.user_id ?? '')
    .sort();

describe('safety: circuit breaker, staged deprovisioning, confirmations, group lifecycle', () => {
  let h: Harness;
  let clock: number;
  const run = (
    env: Record<string, string> = {},
    options: { approve?: { runId: string } } = {},
  ): Promise<RunReport> => {
    const app = h.app(env);
    const deps = { ...app.depsFor('file'), now: () => new Date(clock) };
    const approve =
      options.approve === undefined
        ? undefined
        : {
            runId: options.approve.runId,
            operations: app.store.operations(options.approve.runId).map(o => o.payload as never),
          };
    return reconcileFull(deps, {
      dryRun: false,
      force: false,
      trigger: approve === undefined ? 'manual' : 'approval',
      approve,
    });
  };
  beforeEach(async () => {
    clock = Date.parse('2026-01-01T00:00:00Z');
    h = await startHarness();
    h.writeDirectory(company);
    expect((await run()).status).toBe('succeeded');
  });
  afterEach(async () => h.close());

  it.each([
    ['deprovisions', { DEPROVISION_MAX: '1' }, 'deprovisions exceed DEPROVISION_MAX=1'],
    ['deprovision percent', { DEPROVISION_MAX_PERCENT: '25' }, 'over DEPROVISION_MAX_PERCENT=25'],
    ['per-source override', { FILE_DEPROVISION_MAX: '1' }, 'deprovisions exceed DEPROVISION_MAX=1'],
    ['membership removals', { REMOVAL_MAX: '1' }, 'membership removals exceed REMOVAL_MAX=1'],
    ['removal percent', { REMOVAL_MAX_PERCENT: '10' }, 'over REMOVAL_MAX_PERCENT=10'],
    ['key deletions', { KEY_DELETE_MAX: '1' }, 'key deletions exceed KEY_DELETE_MAX=1'],
  ])('quarantines a plan over the %s limit, applying nothing', async (name, env, reason) => {
    await h.admin('/key/generate', { user_id: 'bob', key_alias: 'bob-1' });
    await h.admin('/key/generate', { user_id: 'carol', key_alias: 'carol-1' });
    // Removals: everyone stays, but g-eng loses two members (still backed by g-ops).
    h.writeDirectory(
      name.includes('removal')
        ? {
            users: company.users,
            groups: [
              { ...company.groups[0]!, members: ['alice'] },
              { ...company.groups[1]!, members: ['alice', 'bob', 'carol', 'dave'] },
            ],
          }
        : only(['alice', 'dave']),
    );
    const before = h.sim.writes().length;
    const report = await run(env);
    expect(report.status).toBe('refused');
    expect(report.quarantined).toBe(true);
    expect(report.refusedBecause).toContain(reason);
    expect(h.sim.writes().length).toBe(before);
    const status = await h.cli(['status']);
    expect(status.stdout).toContain(`QUARANTINED file run ${report.runId}`);
  });

  it('approve applies exactly the quarantined operations, and records who', async () => {
    h.writeDirectory(only(['alice', 'dave']));
    const quarantined = await run({ DEPROVISION_MAX: '1' });
    expect(quarantined.status).toBe('refused');
    const approved = await h.cli(
      ['approve', quarantined.runId, '--by', 'ops@example.com', '--json'],
      { DEPROVISION_MAX: '1' },
    );
    expect(approved.code).toBe(0);
    const report = JSON.parse(approved.stdout) as RunReport;
    const applied = h.app().store.operations(report.runId);
    expect(applied.map(o => o.payload)).toEqual(quarantined.plan?.operations);
    expect(applied.every(o => o.status === 'ok')).toBe(true);
    expect(userIds(h)).toEqual(['alice', 'dave']);
    const q = h.app().store.getQuarantine(quarantined.runId);
    expect(q).toMatchObject({
      state: 'approved',
      decidedBy: 'ops@example.com',
      appliedRun: report.runId,
    });
    expect((await h.cli(['approve', quarantined.runId, '--by', 'x'])).code).toBe(2);
  });

  it('approve after drift refuses and says what changed', async () => {
    h.writeDirectory(only(['alice', 'dave']));
    const quarantined = await run({ DEPROVISION_MAX: '1' });
    h.writeDirectory(only(['alice', 'dave', 'bob']));
    const before = h.sim.writes().length;
    const approved = await h.cli(['approve', quarantined.runId, '--by', 'ops'], {
      DEPROVISION_MAX: '1',
    });
    expect(approved.code).toBe(3);
    expect(approved.stdout).toContain('the world changed');
    expect(approved.stdout).toContain('user bob (deleted)');
    expect(h.sim.writes().length).toBe(before);
    expect(userIds(h)).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(h.app().store.getQuarantine(quarantined.runId)?.state).toBe('pending');
  });

  it('reject discards the plan and leaves LiteLLM untouched', async () => {
    h.writeDirectory(only(['alice', 'dave']));
    const quarantined = await run({ DEPROVISION_MAX: '1' });
    const before = h.sim.state();
    const rejected = await h.cli(['reject', quarantined.runId, '--by', 'ops']);
    expect(rejected.code).toBe(0);
    expect(h.sim.state()).toEqual(before);
    expect(h.app().store.getQuarantine(quarantined.runId)).toMatchObject({
      state: 'rejected',
      decidedBy: 'ops',
    });
    expect((await h.cli(['approve', quarantined.runId, '--by', 'ops'])).code).toBe(2);
  });

  describe('block mode', () => {
    const block = { DEPROVISION_MODE: 'block', DEPROVISION_GRACE: '72h' };
    const keys = (h: Harness, user: string) =>
      h.sim
        .state()
        .keys.filter(k => k.user_id === user)
        .map(k => [k.key_alias, k.blocked === true])
        .sort();
    beforeEach(async () => {
      await h.admin('/key/generate', { user_id: 'bob', key_alias: 'bob-a' });
      const own = (await h.admin('/key/generate', { user_id: 'bob', key_alias: 'bob-own' })) as {
        token_id: string;
      };
      await h.admin('/key/block', { key: own.token_id });
    });

    it('blocks keys at once, and deletes the user after the grace', async () => {
      h.writeDirectory(only(['alice', 'carol', 'dave']));
      expect((await run(block)).status).toBe('succeeded');
      expect(keys(h, 'bob')).toEqual([
        ['bob-a', true],
        ['bob-own', true],
      ]);
      expect(userIds(h)).toContain('bob');
      clock += 71 * 3_600_000;
      await run(block);
      expect(userIds(h)).toContain('bob');
      clock += 2 * 3_600_000;
      const purge = await run(block);
      expect(purge.plan?.operations.map(o => o.kind)).toEqual(['deprovisionUser']);
      expect(userIds(h)).not.toContain('bob');
      expect(keys(h, 'bob')).toEqual([]);
    });

    it('restores a user back within the grace, leaving a key they blocked themselves blocked', async () => {
      h.writeDirectory(only(['alice', 'carol', 'dave']));
      await run(block);
      clock += 24 * 3_600_000;
      h.writeDirectory(company);
      const back = await run(block);
      expect(back.plan?.operations.map(o => o.kind)).toEqual(['restoreUser']);
      expect(keys(h, 'bob')).toEqual([
        ['bob-a', false],
        ['bob-own', true],
      ]);
      expect(members(h, 'g-eng')).toContain('bob');
    });
  });

  it('keeps a user missing from one snapshot and deprovisions them after two; a disabled user goes at once', async () => {
    const env = { DEPROVISION_CONFIRMATIONS: '2' };
    h.writeDirectory({
      users: company.users
        .filter(u => u.id !== 'bob')
        .map(u => (u.id === 'carol' ? { ...u, status: 'disabled' as const } : u)),
      groups: company.groups.map(g => ({
        ...g,
        members: (g.members ?? []).filter(m => m !== 'bob'),
      })),
    });
    const first = await run(env);
    expect(first.plan?.unconfirmed).toEqual({ bob: 1 });
    expect(userIds(h)).toEqual(['alice', 'bob', 'dave']);
    expect(members(h, 'g-eng')).toContain('bob');
    const second = await run(env);
    expect(second.plan?.operations).toContainEqual(
      expect.objectContaining({ kind: 'deprovisionUser', userId: 'bob', reason: 'deleted' }),
    );
    expect(userIds(h)).toEqual(['alice', 'dave']);
  });

  it('resets the count when the user reappears', async () => {
    const env = { DEPROVISION_CONFIRMATIONS: '2' };
    h.writeDirectory(only(['alice', 'carol', 'dave']));
    await run(env);
    h.writeDirectory(company);
    await run(env);
    h.writeDirectory(only(['alice', 'carol', 'dave']));
    expect((await run(env)).plan?.unconfirmed).toEqual({ bob: 1 });
    expect(userIds(h)).toContain('bob');
  });

  describe('group removed (ON_GROUP_REMOVED)', () => {
    const withoutOps: Directory = {
      users: company.users,
      groups: company.groups.filter(g => g.id !== 'g-ops'),
    };
    const team = (h: Harness) => h.sim.state().teams.find(t => t.team_id === 'g-ops');

    it('keep (default): removes the grants, keeps the team and its keys, marks it orphaned', async () => {
      await h.admin('/key/generate', { team_id: 'g-ops', key_alias: 'ops-svc' });
      h.writeDirectory(withoutOps);
      await run();
      expect(team(h)?.metadata).toMatchObject({ idp_sync: { source: 'file', orphaned: true } });
      expect(members(h, 'g-ops')).not.toContain('alice');
      expect(members(h, 'g-ops')).not.toContain('dave');
      expect(team(h)?.blocked).toBe(false);
      expect(h.sim.state().keys.map(k => k.key_alias)).toContain('ops-svc');
      expect((await run()).plan?.operations).toEqual([]);
      h.writeDirectory(company);
      await run();
      expect(team(h)?.metadata).not.toMatchObject({ idp_sync: { orphaned: true } });
      expect(members(h, 'g-ops')).toEqual(expect.arrayContaining(['alice', 'dave']));
    });

    it('block: marks and blocks the team', async () => {
      h.writeDirectory(withoutOps);
      await run({ ON_GROUP_REMOVED: 'block' });
      expect(team(h)?.blocked).toBe(true);
      expect(team(h)?.metadata).toMatchObject({ idp_sync: { orphaned: true } });
    });

    it('delete: deletes the team and forgets it', async () => {
      h.writeDirectory(withoutOps);
      await run({ ON_GROUP_REMOVED: 'delete' });
      expect(team(h)).toBeUndefined();
      expect(h.app().store.ownership('file').teams.has('g-ops')).toBe(false);
    });
  });
});
