import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Explanation } from '../../src/reconcile/explain.js';
import { startHarness, type Directory, type Harness } from '../helpers/harness.js';

/** ai-platform ⊃ backend ⊃ db-admins ∋ alice: a two-level nested path. */
const directory: Directory = {
  users: [
    { id: 'alice', email: 'alice@example.com' },
    { id: 'bob', email: 'bob@example.com' },
  ],
  groups: [
    { id: 'g-platform', name: 'ai-platform', groups: ['g-backend'] },
    { id: 'g-backend', name: 'backend', groups: ['g-db'] },
    { id: 'g-db', name: 'db-admins', members: ['alice'] },
    { id: 'g-eng', name: 'ai-eng', members: ['alice', 'bob'] },
  ],
};

describe('explain', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.writeDirectory(directory);
  });
  afterEach(async () => h.close());

  const explain = async (...args: string[]): Promise<Explanation> => {
    const result = await h.cli(['explain', '--json', ...args]);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Explanation;
  };

  it('shows the nested group path, the scope rule, and the grant with its run', async () => {
    const run = await h.sync();
    expect(run.status).toBe('succeeded');
    const e = await explain('--user', 'alice@example.com', '--team', 'g-platform');
    expect(e.teams).toHaveLength(1);
    const [team] = e.teams;
    expect(team).toMatchObject({ teamId: 'g-platform', member: true, backed: true });
    expect(team?.group?.via?.map(g => g.name)).toEqual(['ai-platform', 'backend', 'db-admins']);
    expect(team?.group?.rule).toContain('FILE_GROUP_NAME_PREFIX');
    expect(team?.grant).toMatchObject({
      runId: run.runId,
      run: { trigger: 'manual', kind: 'full' },
    });

    const text = await h.cli(['explain', '--user', 'alice']);
    expect(text.stdout).toContain(
      'team g-platform (ai-platform): member: in group ai-platform via ai-platform ⊃ backend ⊃ db-admins',
    );
    expect(text.stdout).toContain(`added by run ${run.runId}`);
    expect(text.stdout).toContain('team g-eng (ai-eng): member: in group ai-eng via ai-eng');
  });

  it('says why a user is not in a team, and which signal and run deprovisioned them', async () => {
    await h.sync();
    await h.admin('/team/member_add', {
      team_id: 'g-platform',
      member: [{ user_id: 'bob', role: 'user' }],
    });
    const manual = await explain('--user', 'bob', '--team', 'g-platform');
    expect(manual.teams[0]?.verdict).toContain('added outside this worker');

    h.writeDirectory({
      ...directory,
      users: [directory.users[0]!, { id: 'bob', email: 'bob@example.com', status: 'disabled' }],
    });
    const deprovision = await h.sync();
    const gone = await explain('--user', 'bob@example.com');
    expect(gone.deprovisioned).toEqual([
      expect.objectContaining({
        kind: 'deprovisionUser',
        reason: 'disabled',
        runId: deprovision.runId,
      }),
    ]);
    const notIn = await explain('--user', 'bob', '--team', 'g-eng');
    expect(notIn.teams[0]).toMatchObject({ member: false, backed: false });
    expect(notIn.teams[0]?.verdict).toContain('disabled');
  });
});
