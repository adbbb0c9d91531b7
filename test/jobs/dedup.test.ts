import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { enqueueResync, enqueueUserSync } from '../../jobs/enqueue.js';
import { startJobsHarness, gate, waitFor, type JobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';
import type { Directory } from '../helpers/harness.js';

const directory: Directory = {
  users: [
    { id: 'alice', email: 'alice@example.com' },
    { id: 'bob', email: 'bob@example.com' },
  ],
  groups: [{ id: 'g-eng', name: 'ai-eng', members: ['alice', 'bob'] }],
};

describe('login syncs are deduplicated per user', () => {
  let j: JobsHarness;
  beforeEach(async () => {
    j = await startJobsHarness((await testRedis()).url, { LOGIN_SYNC_DEBOUNCE_MS: '500' });
    j.h.writeDirectory(directory);
  });
  afterEach(async () => j.close());
  afterAll(async () => (await testRedis()).stop());

  it('turns 20 logins of one user within the window into one run', async () => {
    j.startWorker();
    const ids = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      ids.add(
        (await enqueueUserSync(j.queue, { source: 'file', subject: 'alice' }, { debounceMs: 500 }))
          .jobId,
      );
    }
    expect(ids.size).toBe(1);
    await j.waitIdle();
    expect(j.runs('user').map(r => [r.subject, r.status])).toEqual([['alice', 'succeeded']]);
    expect(j.h.sim.state().users.map(u => u.user_id)).toContain('alice');
    expect(j.h.sim.state().users.map(u => u.user_id)).not.toContain('bob');
  });

  it('keeps a login that arrives while that user is being synced, and runs it once more after', async () => {
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
    expect(await (await j.queue.getJob(first.jobId))?.getState()).toBe('active');
    for (let i = 0; i < 5; i += 1) {
      await enqueueUserSync(j.queue, { source: 'file', subject: 'alice' }, { debounceMs: 0 });
    }
    // Another user is not held back by alice's run.
    await enqueueUserSync(j.queue, { source: 'file', subject: 'bob' }, { debounceMs: 0 });
    await waitFor(
      () => j.runs('user').some(r => r.subject === 'bob' && r.status === 'succeeded'),
      10_000,
      'bob synced',
    );
    held.open();
    await j.waitIdle();
    const aliceRuns = j.runs('user').filter(r => r.subject === 'alice');
    expect(aliceRuns.map(r => r.status)).toEqual(['succeeded', 'succeeded']);
    // Never two at once: the second started after the first finished.
    const [one, two] = aliceRuns;
    expect(two!.startedAt >= (one!.finishedAt ?? '')).toBe(true);
  });

  it('brings a login sync still waiting out its window forward when someone asks for a resync', async () => {
    j.startWorker();
    const login = await enqueueUserSync(
      j.queue,
      { source: 'file', subject: 'alice' },
      { debounceMs: 60_000 },
    );
    const resync = await enqueueResync(j.queue, {
      source: 'file',
      target: { kind: 'user', subject: 'alice' },
    });
    // Same person, same key: folded into the waiting login job, which now runs at once.
    expect(resync.jobId).toBe(login.jobId);
    await j.waitIdle(10_000);
    expect(j.runs('user').map(r => r.subject)).toEqual(['alice']);
  });
});
