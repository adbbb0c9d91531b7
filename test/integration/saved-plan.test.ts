import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { RunReport } from '../../src/reconcile/run-types.js';
import type { SavedPlan } from '../../src/reconcile/saved-plan.js';
import { startHarness, type Directory, type Harness } from '../helpers/harness.js';

const company: Directory = {
  users: [
    { id: 'alice', email: 'alice@example.com' },
    { id: 'bob', email: 'bob@example.com' },
    { id: 'carol', email: 'carol@example.com' },
  ],
  groups: [
    { id: 'g-eng', name: 'ai-eng', members: ['alice', 'bob'] },
    { id: 'g-ops', name: 'ai-ops', members: ['carol'] },
  ],
};
/** bob leaves g-eng, erin joins g-ops, g-ops is renamed. */
const changed: Directory = {
  users: [...company.users, { id: 'erin', email: 'erin@example.com' }],
  groups: [
    { id: 'g-eng', name: 'ai-eng', members: ['alice'] },
    { id: 'g-ops', name: 'ai-operations', members: ['carol', 'erin', 'bob'] },
  ],
};

describe('saved plans: plan --out, apply <file>', () => {
  let h: Harness;
  let file: string;
  beforeEach(async () => {
    h = await startHarness();
    file = join(h.dir, 'plan.json');
    h.writeDirectory(company);
    expect((await h.sync()).status).toBe('succeeded');
    h.writeDirectory(changed);
  });
  afterEach(async () => h.close());

  const readPlan = (): SavedPlan => JSON.parse(readFileSync(file, 'utf8')) as SavedPlan;
  const members = (teamId: string): string[] =>
    (h.sim.state().teams.find(t => t.team_id === teamId)?.members_with_roles ?? [])
      .map(m => m.user_id ?? '')
      .filter(id => id !== 'default_user_id')
      .sort();

  it('saves the plan with its basis and applies exactly its operations', async () => {
    const writes = h.sim.writes().length;
    const planned = await h.cli(['plan', '--out', file]);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain(`saved the plan`);
    expect(h.sim.writes().length).toBe(writes);
    const saved = readPlan();
    expect(saved).toMatchObject({ format: 'idp-sync-plan/1', source: 'file', complete: true });
    expect(saved.basis.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(saved.operations.map(op => op.kind).sort()).toEqual(
      ['addMembers', 'createUser', 'removeMember', 'renameTeam'].sort(),
    );

    const applied = await h.cli(['apply', file, '--by', 'ops@example.com', '--json']);
    expect(applied.code).toBe(0);
    const report = JSON.parse(applied.stdout) as RunReport;
    const rows = h.app().store.operations(report.runId);
    expect(rows.map(o => o.payload)).toEqual(saved.operations);
    expect(rows.every(o => o.status === 'ok')).toBe(true);
    expect(members('g-eng')).toEqual(['alice']);
    expect(members('g-ops')).toEqual(['bob', 'carol', 'erin']);
    expect(h.sim.state().teams.find(t => t.team_id === 'g-ops')?.team_alias).toBe('ai-operations');

    // Applied once, the world it was planned from is gone: a second apply refuses.
    const again = await h.cli(['apply', file, '--by', 'ops@example.com']);
    expect(again.code).toBe(3);
    expect(again.stdout).toContain("LiteLLM's teams or users");
  });

  it('refuses a stale plan, naming what changed, and applies nothing', async () => {
    expect((await h.cli(['plan', '--out', file])).code).toBe(0);
    h.writeDirectory({
      ...changed,
      users: [...changed.users, { id: 'fay', email: 'fay@example.com' }],
      groups: [
        changed.groups[0]!,
        { ...changed.groups[1]!, members: ['carol', 'erin', 'bob', 'fay'] },
      ],
    });
    const writes = h.sim.writes().length;
    const applied = await h.cli(['apply', file, '--by', 'ops']);
    expect(applied.code).toBe(3);
    expect(applied.stdout).toContain('the world changed since the saved plan');
    expect(applied.stdout).toContain('the IdP directory');
    expect(applied.stdout).toContain('now also: user fay');
    expect(h.sim.writes().length).toBe(writes);
  });

  it('refuses when only LiteLLM changed, even if the operations would be the same', async () => {
    expect((await h.cli(['plan', '--out', file])).code).toBe(0);
    await h.admin('/user/new', { user_id: 'svc-bot', user_email: 'bot@example.com' });
    const applied = await h.cli(['apply', file]);
    expect(applied.code).toBe(3);
    expect(applied.stdout).toContain("changed since: LiteLLM's teams or users");
    expect(h.sim.state().teams.find(t => t.team_id === 'g-ops')?.team_alias).toBe('ai-ops');
  });

  it('deprovisions as planned (absences counted as the dry run did), within the limits or forced', async () => {
    h.writeDirectory({
      users: [company.users[0]!],
      groups: [{ ...company.groups[0]!, members: ['alice'] }],
    });
    expect((await h.cli(['plan', '--out', file])).code).toBe(0);
    expect(readPlan().counts).toMatchObject({ deprovisionUser: 2 });
    const limited = await h.cli(['apply', file], { DEPROVISION_MAX: '1' });
    expect(limited.code).toBe(3);
    expect(limited.stdout).toContain('with --force');
    const forced = await h.cli(['apply', file, '--force', '--by', 'ops'], { DEPROVISION_MAX: '1' });
    expect(forced.code).toBe(0);
    const users = h.sim
      .state()
      .users.map(u => u.user_id)
      .filter(id => id !== 'default_user_id');
    expect(users).toEqual(['alice']);
  });

  it('refuses a malformed plan file with exit 2, naming the path of the problem', async () => {
    expect((await h.cli(['plan', '--out', file])).code).toBe(0);
    const saved = readPlan() as unknown as { operations: Record<string, unknown>[] };
    saved.operations[1] = { ...saved.operations[1], teamId: 42 };
    writeFileSync(file, JSON.stringify(saved));
    const writes = h.sim.writes().length;
    const bad = await h.cli(['apply', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}: operations[1]`);
    expect(h.sim.writes().length).toBe(writes);

    writeFileSync(file, '{ not json');
    const garbled = await h.cli(['apply', file]);
    expect(garbled.code).toBe(2);
    expect(garbled.stderr).toContain(`${file}: cannot read a saved plan`);

    writeFileSync(file, JSON.stringify({ format: 'idp-sync-plan/9' }));
    const wrongFormat = await h.cli(['apply', file]);
    expect(wrongFormat.code).toBe(2);
    expect(wrongFormat.stderr).toContain(`${file}: format`);
  });
});
