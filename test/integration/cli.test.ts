import { spawnSync } from 'node:child_process';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startHarness, type Directory, type Harness } from '../helpers/harness.js';

const directory: Directory = {
  users: [
    { id: 'alice', email: 'alice@example.com' },
    { id: 'bob', email: 'bob@example.com' },
  ],
  groups: [{ id: 'g-eng', name: 'ai-eng', members: ['alice', 'bob'] }],
};

describe('idp-sync CLI', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.writeDirectory(directory);
  });
  afterEach(async () => h.close());

  it('plan --json prints the operations and applies nothing', async () => {
    const result = await h.cli(['plan', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      status: string;
      plan: { operations: { kind: string }[] };
    };
    expect(report.status).toBe('planned');
    expect(report.plan.operations.map(op => op.kind)).toEqual([
      'createTeam',
      'createUser',
      'createUser',
      'addMembers',
    ]);
    expect(h.sim.writes()).toEqual([]);
  });

  it('plan prints a readable table grouped by kind', async () => {
    const result = await h.cli(['plan']);
    expect(result.stdout).toContain('create team');
    expect(result.stdout).toContain('team g-eng += alice, bob');
    expect(result.stdout).toContain('4 operations');
  });

  it('sync, then status shows the run and what is managed', async () => {
    expect((await h.cli(['sync'])).code).toBe(0);
    const status = await h.cli(['status']);
    expect(status.stdout).toContain('file: managing 1 teams, 2 users, 2 memberships');
    expect(status.stdout).toMatch(/full\s+succeeded/);
    const json = JSON.parse((await h.cli(['status', '--json'])).stdout) as { runs: unknown[] };
    expect(json.runs).toHaveLength(1);
  });

  it('resync --user fixes one person by e-mail', async () => {
    await h.cli(['sync']);
    await h.admin('/team/member_delete', { team_id: 'g-eng', user_id: 'bob' });
    const result = await h.cli(['resync', '--user', 'BOB@example.com', '--inline', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { plan: { operations: unknown[] } };
    expect(report.plan.operations).toEqual([
      { kind: 'addMembers', teamId: 'g-eng', members: [{ userId: 'bob', role: 'user' }] },
    ]);
  });

  it('exits 2 naming the variable when the configuration is bad, and never prints the key', async () => {
    const result = await h.cli(['sync'], {
      LITELLM_BASE_URL: 'not a url',
      FILE_GROUP_NAME_PREFIX: '',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LITELLM_BASE_URL');
    expect(result.stderr).toContain(
      'FILE_GROUP_IDS, FILE_GROUP_NAME_PREFIX, FILE_GROUP_NAME_REGEX: none is set',
    );
    expect(result.stderr + result.stdout).not.toContain(h.env['LITELLM_MASTER_KEY']);
  });

  it('check-config masks the master key', async () => {
    const result = await h.cli(['check-config', '--json']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(h.env['LITELLM_MASTER_KEY']);
    expect(result.stdout).toContain('"masterKey":"sk-');
  });

  it('an unknown command exits 2 with help', async () => {
    const result = await h.cli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  it('the bin entry ignores a reader that goes away (idp-sync --help | head -1)', () => {
    const result = spawnSync(
      'sh',
      ['-c', 'node bin/idp-sync.js --help | head -1; exit "${PIPESTATUS:-0}"'],
      {
        encoding: 'utf8',
      },
    );
    expect(result.stdout.trim()).toBe('Usage: idp-sync [options] [command]');
    expect(result.stderr).not.toContain('EPIPE');
  });

  it('the bin entry runs --help through npx-style node invocation', () => {
    const result = spawnSync(process.execPath, ['bin/idp-sync.js', '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: idp-sync');
    expect(result.stdout).toContain('resync');
  });
});
