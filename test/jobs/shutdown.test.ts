import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { enqueueFullReconcile } from '../../jobs/enqueue.js';
import type { SimWrite } from '../../src/sim/litellm/types.js';
import { comparable, startHarness, type Directory } from '../helpers/harness.js';
import { sleep, startJobsHarness, waitFor, type JobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';

const directory: Directory = {
  users: Array.from({ length: 12 }, (_, i) => ({ id: `u${i}`, email: `u${i}@example.com` })),
  groups: [
    { id: 'g-a', name: 'ai-a', members: ['u0', 'u1', 'u2', 'u3'] },
    { id: 'g-b', name: 'ai-b', members: ['u4', 'u5', 'u6'], groups: ['g-c'] },
    { id: 'g-c', name: 'ai-c', members: ['u7', 'u8', 'u9', 'u10', 'u11'] },
  ],
};

const writeKey = (w: SimWrite): string => `${w.method} ${w.path} ${JSON.stringify(w.body)}`;

async function cleanRun() {
  const clean = await startHarness();
  try {
    clean.writeDirectory(directory);
    await clean.sync();
    return {
      state: comparable(clean.sim.state()),
      writes: clean.sim.writes().map(writeKey).sort(),
    };
  } finally {
    await clean.close();
  }
}

describe('SIGTERM in the middle of an apply', () => {
  let j: JobsHarness;
  beforeEach(async () => {
    j = await startJobsHarness((await testRedis()).url, {
      APPLY_CONCURRENCY: '1',
      WORKER_CONCURRENCY: '1',
    });
    j.h.writeDirectory(directory);
  });
  afterEach(async () => {
    j.h.sim.onWrite(undefined);
    await j.close();
  });
  afterAll(async () => (await testRedis()).stop());

  it('lets the running job finish within SHUTDOWN_TIMEOUT_MS, then exits 0', async () => {
    const expected = await cleanRun();
    const worker = j.spawnWorker({ SHUTDOWN_TIMEOUT_MS: '20000' });
    await worker.ready;
    let signalled = false;
    j.h.sim.onWrite(async (_write, count) => {
      if (count === 4 && !signalled) {
        signalled = true;
        worker.child.kill('SIGTERM');
        await sleep(100);
      }
    });
    const { jobId } = await enqueueFullReconcile(j.queue, { source: 'file', mode: 'full' });
    const { code } = await worker.exited;
    expect(code).toBe(0);
    expect(worker.stdout()).toContain('idp-sync worker stopped');
    expect(await j.queue.getJobState(jobId)).toBe('completed');
    expect(comparable(j.h.sim.state())).toEqual(expected.state);
    expect(j.h.sim.writes().map(writeKey).sort()).toEqual(expected.writes);
    expect((await j.h.sync()).plan?.operations).toEqual([]);
  });

  it('aborts a job still running at the timeout; it goes back to the queue and the next worker converges with no write made twice', async () => {
    const expected = await cleanRun();
    const worker = j.spawnWorker({ SHUTDOWN_TIMEOUT_MS: '300' });
    await worker.ready;
    let signalled = false;
    j.h.sim.onWrite(async (_write, count) => {
      if (count === 4 && !signalled) {
        signalled = true;
        worker.child.kill('SIGTERM');
      }
      await sleep(150); // slow writes: the run cannot finish within the timeout
    });
    const { jobId } = await enqueueFullReconcile(j.queue, { source: 'file', mode: 'full' });
    const { code } = await worker.exited;
    expect(code).toBe(0);
    const writesBefore = j.h.sim.writes().length;
    expect(writesBefore).toBeGreaterThanOrEqual(4);
    expect(writesBefore).toBeLessThan(expected.writes.length);
    const parked = await j.queue.getJob(jobId);
    expect(['delayed', 'waiting']).toContain(await parked?.getState());
    expect(parked?.attemptsMade).toBe(0);
    expect(j.runs('full').map(r => r.status)).toEqual(['running']);

    j.h.sim.onWrite(undefined);
    const next = j.spawnWorker();
    await next.ready;
    await waitFor(
      async () => (await j.queue.getJobState(jobId)) === 'completed',
      20_000,
      'the job to complete on the next worker',
    );
    expect(j.runs('full').map(r => r.status)).toEqual(['interrupted', 'succeeded']);
    expect(comparable(j.h.sim.state())).toEqual(expected.state);
    expect(j.h.sim.writes().map(writeKey).sort()).toEqual(expected.writes);
    next.child.kill('SIGTERM');
    expect((await next.exited).code).toBe(0);
  });
});
