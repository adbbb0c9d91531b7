import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { enqueueFullReconcile, enqueueUserSync } from '../../jobs/enqueue.js';
import type { SimWrite } from '../../src/sim/litellm/types.js';
import { comparable, startHarness, type Directory } from '../helpers/harness.js';
import { gate, startJobsHarness, waitFor, type JobsHarness } from '../helpers/jobs.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';

const directory: Directory = {
  users: Array.from({ length: 8 }, (_, i) => ({ id: `u${i}`, email: `u${i}@example.com` })),
  groups: [
    { id: 'g-a', name: 'ai-a', members: ['u0', 'u1', 'u2', 'u3'] },
    { id: 'g-b', name: 'ai-b', members: ['u4', 'u5', 'u6', 'u7'] },
  ],
};

const writeKey = (w: SimWrite): string => `${w.method} ${w.path} ${JSON.stringify(w.body)}`;

describe('Redis restarted during a run', () => {
  let redis: PrivateRedis;
  let j: JobsHarness;
  beforeEach(async () => {
    redis = await startPrivateRedis();
    j = await startJobsHarness(redis.url, { APPLY_CONCURRENCY: '1' });
    j.h.writeDirectory(directory);
  });
  afterEach(async () => {
    j.h.sim.onWrite(undefined);
    await j.close();
    await redis.stop();
  });

  it('reconnects and carries on: the job completes (or is retried), nothing is lost or written twice', async () => {
    const clean = await startHarness();
    clean.writeDirectory(directory);
    await clean.sync();
    const expected = {
      state: comparable(clean.sim.state()),
      writes: clean.sim.writes().map(writeKey).sort(),
    };
    await clean.close();

    const paused = gate();
    j.h.sim.onWrite(async (_write, count) => {
      if (count === 3) {
        await paused.wait();
      }
    });
    j.startWorker();
    const full = await enqueueFullReconcile(j.queue, { source: 'file', mode: 'full' });
    await paused.reached;

    await redis.restart({ downMs: 500 });
    paused.open();

    await waitFor(
      async () => (await j.queue.getJobState(full.jobId)) === 'completed',
      30_000,
      'the full reconcile to complete',
    );
    expect(j.runs('full').at(-1)?.status).toBe('succeeded');
    // The worker is back on the queue: a login after the restart is served as usual.
    const login = await enqueueUserSync(
      j.queue,
      { source: 'file', subject: 'u0' },
      { debounceMs: 0 },
    );
    await waitFor(
      async () => (await j.queue.getJobState(login.jobId)) === 'completed',
      30_000,
      'the login sync to complete',
    );
    expect(comparable(j.h.sim.state())).toEqual(expected.state);
    expect(j.h.sim.writes().map(writeKey).sort()).toEqual(expected.writes);
  });
});
