import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createSyncQueue, enqueueFullReconcile, enqueueUserSync } from '../../jobs/enqueue.js';
import { workerConnection } from '../../jobs/redis.js';
import { SyncError } from '../../src/errors.js';
import { startJobsHarness, waitFor, type JobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';
import type { Directory } from '../helpers/harness.js';

const directory: Directory = {
  users: [
    { id: 'alice', email: 'alice@example.com' },
    { id: 'bob', email: 'bob@example.com' },
  ],
  groups: [{ id: 'g-eng', name: 'ai-eng', members: ['alice', 'bob'] }],
};

/** A list that fails before its first page. */
const failingList = <T>(error: Error): AsyncIterable<T> => ({
  [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
});

/** The job once it finished for good (read after its state, so its fields are final too). */
const finalState = async (j: JobsHarness, jobId: string) =>
  waitFor(
    async () => {
      const state = await j.queue.getJobState(jobId);
      const job =
        state === 'completed' || state === 'failed' ? await j.queue.getJob(jobId) : undefined;
      return job === undefined ? undefined : { state, job };
    },
    20_000,
    `job ${jobId} to finish`,
  );

describe('the failure policy', () => {
  let j: JobsHarness;
  beforeEach(async () => {
    j = await startJobsHarness((await testRedis()).url);
    j.h.writeDirectory(directory);
  });
  afterEach(async () => j.close());
  afterAll(async () => (await testRedis()).stop());

  it('retries a transient failure (LiteLLM 5xx beyond the client’s own retries) to success', async () => {
    // More 5xx than the LiteLLM client's own retries absorb: the first job attempt fails.
    j.h.sim.setFaults([{ method: 'GET', path: '/user/list', status: 500, times: 5 }]);
    j.startWorker();
    const { jobId } = await enqueueFullReconcile(j.queue, { source: 'file', mode: 'full' });
    const { state, job } = await finalState(j, jobId);
    expect(state).toBe('completed');
    // attemptsMade counts finished attempts: at least one failed, then the one that succeeded.
    expect(job.attemptsMade).toBeGreaterThanOrEqual(2);
    expect(job.returnvalue.status).toBe('succeeded');
    const statuses = j.runs('full').map(r => r.status);
    expect(statuses.length).toBe(job.attemptsMade);
    expect(statuses.at(-1)).toBe('succeeded');
    expect(statuses.slice(0, -1).every(s => s === 'failed')).toBe(true);
    expect(j.h.sim.state().teams.map(t => t.team_id)).toEqual(['g-eng']);
  });

  it('fails an authentication error at once, unretried, with its reason', async () => {
    const app = j.app({ LITELLM_MASTER_KEY: 'sk-wrong-key-0000000000' });
    j.startWorker({ app });
    const { jobId } = await enqueueUserSync(
      j.queue,
      { source: 'file', subject: 'alice' },
      { debounceMs: 0 },
    );
    const { state, job } = await finalState(j, jobId);
    expect(state).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain('TARGET_UNAUTHORIZED');
    expect(job.failedReason).toContain('retrying cannot help');
    expect(job.failedReason).not.toContain('sk-wrong-key');
    expect(j.h.sim.writes()).toEqual([]);
  });

  it('fails a run whose IdP read was incomplete, and it removed nothing', async () => {
    await j.h.sync();
    j.h.writeDirectory({
      ...directory,
      groups: [{ id: 'g-eng', name: 'ai-eng', members: ['alice'] }],
    });
    j.startWorker({
      wrap: deps => ({
        ...deps,
        source: {
          ...deps.source,
          listUsers: () =>
            failingList(new SyncError('SOURCE_UNAUTHORIZED', 'Okta said 401 on /api/v1/users')),
        },
      }),
    });
    const writesBefore = j.h.sim.writes().length;
    const { jobId } = await enqueueFullReconcile(j.queue, { source: 'file', mode: 'full' });
    const { state, job } = await finalState(j, jobId);
    expect(state).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain('SOURCE_UNAUTHORIZED');
    expect(job.failedReason).toContain('incomplete');
    expect(j.runs('full').at(-1)?.status).toBe('incomplete');
    expect(j.h.sim.writes().length).toBe(writesBefore);
    expect(j.h.sim.state().teams[0]?.members_with_roles.map(m => m.user_id)).toContain('bob');
  });

  it('retries an incomplete read caused by throttling, then gives up after JOB_ATTEMPTS', async () => {
    const app = j.app({ JOB_ATTEMPTS: '3' });
    j.startWorker({
      app,
      wrap: deps => ({
        ...deps,
        source: {
          ...deps.source,
          listUsers: () => failingList(new SyncError('SOURCE_RATE_LIMITED', 'Graph said 429')),
        },
      }),
    });
    // Enqueued with this app's settings: JOB_ATTEMPTS is a job option, set by the producer.
    const appQueue = createSyncQueue(workerConnection(j.redisUrl), app.config.jobs);
    try {
      const { jobId } = await enqueueFullReconcile(appQueue, { source: 'file', mode: 'delta' });
      const { state, job } = await finalState(j, jobId);
      expect(state).toBe('failed');
      expect(job.attemptsMade).toBe(3);
      expect(job.failedReason).toContain('incomplete');
    } finally {
      await appQueue.close();
    }
  });

  it('refuses a job for a source this worker does not have, at once', async () => {
    j.startWorker();
    const { jobId } = await enqueueUserSync(
      j.queue,
      { source: 'entra', subject: 'alice' },
      { debounceMs: 0 },
    );
    const { state, job } = await finalState(j, jobId);
    expect(state).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toContain('not configured on this worker');
  });
});
