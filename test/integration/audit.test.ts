import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { reconcileFull } from '../../src/reconcile/reconcile-full.js';
import type { RunReport } from '../../src/reconcile/run-types.js';
import { startHarness, type Directory, type Harness } from '../helpers/harness.js';

const company: Directory = {
  users: [
    { id: 'alice', email: 'alice@example.com' },
    { id: 'bob', email: 'Bob@Example.com' },
  ],
  groups: [
    { id: 'g-eng', name: 'ai-eng', members: ['alice', 'bob'] },
    { id: 'g-ops', name: 'ai-ops', members: ['alice', 'bob'] },
  ],
};
/** bob leaves g-eng (he stays in g-ops). */
const bobLeavesEng: Directory = {
  users: company.users,
  groups: [{ ...company.groups[0]!, members: ['alice'] }, company.groups[1]!],
};

type Entry = {
  at: string;
  runId: string;
  trigger: string;
  actor: string | null;
  kind: string;
  subject: string;
  status: string;
  users: string[];
  before: unknown;
  after: unknown;
};

describe('audit log', () => {
  let h: Harness;
  const day = 86_400_000;
  /** Two days ago, at midnight: within the default AUDIT_RETENTION, outside `--since 24h`. */
  const old = Math.floor(Date.now() / day) * day - 2 * day;
  /** A full run at a given time (the audit timestamp comes from the run's clock). */
  const runAt = (at: number, env: Record<string, string> = {}): Promise<RunReport> => {
    const deps = { ...h.app(env).depsFor('file'), now: () => new Date(at) };
    return reconcileFull(deps, { dryRun: false, force: false, trigger: 'schedule' });
  };
  const audit = async (...args: string[]): Promise<Entry[]> => {
    const result = await h.cli(['audit', '--json', ...args]);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Entry[];
  };
  beforeEach(async () => {
    h = await startHarness();
    h.writeDirectory(company);
  });
  afterEach(async () => h.close());

  it('records every applied operation with run, trigger, before and after', async () => {
    const first = await runAt(old);
    expect(first.status).toBe('succeeded');
    h.writeDirectory({
      users: company.users,
      groups: [{ id: 'g-eng', name: 'ai-engineering', members: ['alice'] }, company.groups[1]!],
    });
    const second = await h.sync();
    expect(second.status).toBe('succeeded');

    const entries = await audit();
    const applied = (r: typeof first): number =>
      Object.values(r.applied).reduce((n, c) => n + c.ok + c.failed, 0);
    expect(entries.length).toBe(applied(first) + applied(second));
    const rename = entries.find(e => e.kind === 'renameTeam');
    expect(rename).toMatchObject({ runId: second.runId, trigger: 'manual', status: 'ok' });
    expect(rename?.before).toMatchObject({ teamId: 'g-eng', alias: 'ai-eng' });
    expect(rename?.after).toMatchObject({ to: 'ai-engineering' });
    const removal = entries.find(e => e.kind === 'removeMember');
    expect(removal?.before).toEqual({ teamId: 'g-eng', members: { bob: { role: 'user' } } });
    expect(removal?.after).toMatchObject({ teamId: 'g-eng', userId: 'bob' });
    const created = entries.find(e => e.kind === 'createUser' && e.subject === 'user bob');
    expect(created).toMatchObject({ runId: first.runId, trigger: 'schedule', before: null });
    expect(created?.at).toBe(new Date(old).toISOString());
  });

  it('filters by user (id or e-mail, any case) and by --since', async () => {
    await runAt(old);
    h.writeDirectory(bobLeavesEng);
    await h.sync();

    const bob = await audit('--user', 'bob@example.com');
    expect(bob.map(e => e.kind).sort()).toEqual([
      'addMembers',
      'addMembers',
      'createUser',
      'removeMember',
    ]);
    expect(await audit('--user', 'bob')).toEqual(bob);
    expect((await audit('--user', 'nobody')).length).toBe(0);

    const recent = await audit('--since', '24h');
    expect(recent.map(e => e.kind)).toEqual(['removeMember']);
    expect(await audit('--since', new Date(old + day).toISOString())).toEqual(recent);
    expect((await audit('--since', new Date(old - day).toISOString())).length).toBeGreaterThan(1);
    expect((await h.cli(['audit', '--since', 'yesterday'])).code).toBe(2);

    const text = await h.cli(['audit', '--user', 'bob']);
    expect(text.stdout).toContain('removeMember  team g-eng -= bob');
    expect(text.stdout).toContain('before: {"teamId":"g-eng","members":{"bob":{"role":"user"}}}');
  });

  it('prunes entries older than AUDIT_RETENTION at the start of each full run', async () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    await runAt(start);
    const created = (await audit()).length;
    expect(created).toBeGreaterThan(0);
    h.writeDirectory(bobLeavesEng);
    await runAt(start + 40 * day, { AUDIT_RETENTION: '90d' });
    expect((await audit()).length).toBe(created + 1);
    await runAt(start + 60 * day, { AUDIT_RETENTION: '30d' });
    const left = await audit();
    expect(left.map(e => e.kind)).toEqual(['removeMember']);
  });

  it('attributes an applied saved plan to its trigger and --by', async () => {
    await h.sync();
    h.writeDirectory(bobLeavesEng);
    const file = `${h.dir}/plan.json`;
    expect((await h.cli(['plan', '--out', file])).code).toBe(0);
    expect((await h.cli(['apply', file, '--by', 'ops@example.com'])).code).toBe(0);
    const [entry] = await audit('--user', 'bob', '--since', '1h');
    expect(entry).toMatchObject({
      kind: 'removeMember',
      trigger: 'saved-plan',
      actor: 'ops@example.com',
    });
  });
});
