import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { enqueueUserSync } from '../../jobs/enqueue.js';
import { gate, sleep, startJobsHarness, waitFor, type JobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';
import type { Directory } from '../helpers/harness.js';

const directory: Directory = {
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

/** Nothing listens on port 1. */
const noRedis = { REDIS_URL: 'redis://127.0.0.1:1' };

describe('idp-sync resync and status with the job queue', () => {
  let j: JobsHarness;
  const cli = (args: string[], env: Record<string, string> = {}) =>
    j.h.cli(args, { ...j.env, ...env });
  beforeEach(async () => {
    j = await startJobsHarness((await testRedis()).url);
    j.h.writeDirectory(directory);
  });
  afterEach(async () => j.close());
  afterAll(async () => (await testRedis()).stop());

  it('queues a resync and prints the job id when Redis answers', async () => {
    const result = await cli(['resync', '--user', 'alice']);
    expect(result.code).toBe(0);
    const id = /queued as job (\S+)/.exec(result.stdout)?.[1];
    expect(id).toBeDefined();
    const job = await j.queue.getJob(id!);
    expect(job?.name).toBe('resync');
    expect(job?.data).toEqual({ source: 'file', target: { kind: 'user', subject: 'alice' } });
    expect(j.h.sim.writes()).toEqual([]);
    const json = await cli(['resync', '--group', 'ai-eng', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      queued: [{ source: 'file', jobId: expect.any(String) }],
    });
  });

  it('--wait follows a queued resync to its end: user, group and all', async () => {
    j.startWorker();
    const user = await cli(['resync', '--user', 'alice', '--wait']);
    expect(user.code).toBe(0);
    expect(user.stdout).toMatch(
      /file: job \S+ succeeded: createTeam 1, createUser 1, addMembers 1/,
    );

    const group = await cli(['resync', '--group', 'AI-ENG', '--wait', '--json']);
    expect(group.code).toBe(0);
    const [ended] = (
      JSON.parse(group.stdout) as {
        jobs: { state: string; outcome: { status: string; runIds: string[] } }[];
      }
    ).jobs;
    expect(ended).toMatchObject({ state: 'completed', outcome: { status: 'succeeded' } });
    expect(ended?.outcome.runIds).toHaveLength(2); // alice and bob

    const all = await cli(['resync', '--all', '--wait']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/file: job \S+ succeeded/);
    expect(
      j.h.sim
        .state()
        .teams.map(t => t.team_id)
        .sort(),
    ).toEqual(['g-eng', 'g-ops']);
  });

  it('--wait on a request folded into a running job waits for the run after it', async () => {
    const held = gate();
    let reads = 0;
    j.startWorker({
      wrap: deps => ({
        ...deps,
        source: {
          ...deps.source,
          readUser: async (subject, signal) => {
            reads += 1;
            if (reads === 1) {
              await held.wait();
            }
            return deps.source.readUser(subject, signal);
          },
        },
      }),
    });
    const first = await enqueueUserSync(
      j.queue,
      { source: 'file', subject: 'alice' },
      { debounceMs: 0 },
    );
    await held.reached;
    const waiting = cli(['resync', '--user', 'alice', '--wait', '--json']);
    await sleep(300);
    held.open();
    const result = await waiting;
    expect(result.code).toBe(0);
    const [ended] = (
      JSON.parse(result.stdout) as { jobs: { jobId: string; outcome: { runIds: string[] } }[] }
    ).jobs;
    const runs = j.runs('user').filter(r => r.subject === 'alice');
    expect(runs).toHaveLength(2);
    expect(ended?.jobId).not.toBe(first.jobId);
    expect(ended?.outcome.runIds).toEqual([runs[1]?.runId]);
  });

  it('runs inline with a clear notice when Redis is unreachable, and with --inline or --dry-run', async () => {
    const fallback = await cli(['resync', '--user', 'alice'], noRedis);
    expect(fallback.code).toBe(0);
    expect(fallback.stderr).toMatch(
      /Redis at redis:\/\/127\.0\.0\.1:1 is unreachable.*running the resync here instead/,
    );
    expect(fallback.stdout).toContain('file user alice: succeeded');

    const group = await cli(['resync', '--group', 'g-eng', '--inline']);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('file user bob: succeeded');
    expect(group.stderr).toBe('');

    const preview = await cli(['resync', '--all', '--dry-run', '--json']);
    expect(JSON.parse(preview.stdout)).toMatchObject({ status: 'planned', kind: 'full' });
    expect(await j.queue.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 0, delayed: 0 });
  });

  it('needs exactly one of --user, --group, --all', async () => {
    expect((await cli(['resync'])).code).toBe(2);
    const both = await cli(['resync', '--user', 'alice', '--all']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one of --user');
    expect((await cli(['resync', '--group', 'no-such-group', '--inline'])).code).toBe(2);
  });

  it('status shows queue depth, active and failed jobs and the next scheduled run, and never fails without Redis', async () => {
    await j.queue.upsertJobScheduler(
      'sync-file',
      { pattern: '*/15 * * * *' },
      { name: 'full-reconcile', data: { source: 'file', mode: 'delta', trigger: 'schedule' } },
    );
    await enqueueUserSync(j.queue, { source: 'file', subject: 'alice' }, { debounceMs: 60_000 });
    await enqueueUserSync(j.queue, { source: 'entra', subject: 'bob' }, { debounceMs: 0 });
    j.startWorker();
    await waitFor(
      async () => (await j.queue.getJobCounts('failed')).failed === 1,
      10_000,
      'the entra job to fail',
    );

    const status = await cli(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      /Jobs \(redis:\/\/127\.0\.0\.1:6379\): 2 queued \(0 waiting, 2 delayed\), 0 active, 1 failed/,
    );
    expect(status.stdout).toMatch(
      /failed {2}#\S+ sync-user entra subject=bob .* not configured on this worker/,
    );
    expect(status.stdout).toMatch(/next {4}sync-file \(\*\/15 \* \* \* \*\) at \d{4}-/);
    const json = JSON.parse((await cli(['status', '--json'])).stdout) as {
      jobs: { depth: number; failed: unknown[]; schedules: { id: string }[] };
    };
    expect(json.jobs.depth).toBe(2);
    expect(json.jobs.schedules.map(s => s.id)).toEqual(['sync-file']);

    const down = await cli(['status'], noRedis);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(
      /Jobs: queue state unknown \(Redis at redis:\/\/127\.0\.0\.1:1 is unreachable/,
    );
  });
});
