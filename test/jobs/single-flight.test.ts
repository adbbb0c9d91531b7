import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { lockKey } from '../../jobs/context.js';
import { enqueueFullReconcile } from '../../jobs/enqueue.js';
import { describeHolder, lockHolder, tryLock } from '../../jobs/lock.js';
import type { SimWrite } from '../../src/sim/litellm/types.js';
import { comparable, startHarness, type Directory } from '../helpers/harness.js';
import { sleep, startJobsHarness, waitFor, type JobsHarness } from '../helpers/jobs.js';
import { freshPrefix, testRedis } from '../helpers/redis.js';

const directory: Directory = {
  users: Array.from({ length: 10 }, (_, i) => ({ id: `u${i}`, email: `u${i}@example.com` })),
  groups: [
    { id: 'g-a', name: 'ai-a', members: ['u0', 'u1', 'u2', 'u3', 'u4'] },
    { id: 'g-b', name: 'ai-b', members: ['u5', 'u6', 'u7', 'u8', 'u9'] },
  ],
};

const writeKey = (w: SimWrite): string => `${w.method} ${w.path} ${JSON.stringify(w.body)}`;

describe('the Redis single-flight lock', () => {
  let redis: Redis;
  let key: string;
  beforeAll(async () => {
    redis = new Redis((await testRedis()).url);
  });
  beforeEach(() => {
    key = `${freshPrefix()}:lock:test`;
  });
  afterAll(async () => {
    redis.disconnect();
    await (await testRedis()).stop();
  });

  it('admits one holder, names it to the others, and frees only for its own token', async () => {
    const first = await tryLock(redis, key, { ttlMs: 5000, label: 'job 1' });
    expect(first.acquired).toBe(true);
    const second = await tryLock(redis, key, { ttlMs: 5000, label: 'job 2' });
    expect(second).toMatchObject({ acquired: false, holder: { label: 'job 1', pid: process.pid } });
    expect(describeHolder(second.acquired ? undefined : second.holder)).toContain('job 1');
    if (first.acquired) {
      await first.lock.release();
      await first.lock.release();
    }
    expect(await lockHolder(redis, key)).toBeUndefined();
    expect((await tryLock(redis, key, { ttlMs: 5000, label: 'job 2' })).acquired).toBe(true);
    await redis.del(key);
  });

  it('renews itself past its TTL while held, and expires once its holder stops renewing', async () => {
    const held = await tryLock(redis, key, { ttlMs: 300, label: 'long run' });
    await sleep(900);
    expect((await lockHolder(redis, key))?.label).toBe('long run');
    if (held.acquired) {
      await held.lock.release();
    }
    // A holder that died without releasing: the key outlives it by the TTL only.
    await redis.set(key, 'token|elsewhere|1|crashed run', 'PX', 200);
    expect((await tryLock(redis, key, { ttlMs: 5000, label: 'next' })).acquired).toBe(false);
    await sleep(300);
    expect((await tryLock(redis, key, { ttlMs: 5000, label: 'next' })).acquired).toBe(true);
    await redis.del(key);
  });

  it('tells its holder when someone else took the key, and never deletes theirs', async () => {
    let lost: string | undefined;
    const held = await tryLock(redis, key, {
      ttlMs: 300,
      label: 'first',
      onLost: holder => (lost = holder?.label),
    });
    await redis.set(key, 'other|host|2|thief', 'PX', 5000);
    await waitFor(() => lost, 3000, 'the lock to be reported lost');
    expect(lost).toBe('thief');
    if (held.acquired) {
      await held.lock.release();
    }
    expect((await lockHolder(redis, key))?.label).toBe('thief');
    await redis.del(key);
  });
});

describe('one full reconcile per source across worker processes', () => {
  let j: JobsHarness;
  beforeEach(async () => {
    j = await startJobsHarness((await testRedis()).url, {
      APPLY_CONCURRENCY: '1',
      WORKER_CONCURRENCY: '1',
    });
    j.h.writeDirectory(directory);
  });
  afterEach(async () => j.close());
  afterAll(async () => (await testRedis()).stop());

  it('runs one at a time when two workers each take one at once; the other waits, and the result is right', async () => {
    const clean = await startHarness();
    clean.writeDirectory(directory);
    await clean.sync();
    const expected = {
      state: comparable(clean.sim.state()),
      writes: clean.sim.writes().map(writeKey).sort(),
    };
    await clean.close();

    j.h.sim.setLatency(15);
    const workers = [j.spawnWorker({ LOG_LEVEL: 'info' }), j.spawnWorker({ LOG_LEVEL: 'info' })];
    await Promise.all(workers.map(w => w.ready));
    // Different modes are different requests (no deduplication): two jobs, one per worker.
    const jobs = await Promise.all([
      enqueueFullReconcile(j.queue, { source: 'file', mode: 'full' }),
      enqueueFullReconcile(j.queue, { source: 'file', mode: 'delta' }),
    ]);
    expect(new Set(jobs.map(job => job.jobId)).size).toBe(2);
    await j.waitIdle(20_000).catch(error => {
      console.log(workers.map(w => w.stdout() + w.stderr()).join('\n-----\n'));
      throw error;
    });

    const finished = await Promise.all(jobs.map(async job => j.queue.getJob(job.jobId)));
    expect(finished.map(job => job?.returnvalue.status)).toEqual(['succeeded', 'succeeded']);
    // Each worker runs one job at a time, so a job that found the lock taken met the other process.
    const logs = await Promise.all(
      jobs.map(async job => (await j.queue.getJobLogs(job.jobId)).logs.join('\n')),
    );
    expect(
      logs.some(log => log.includes('waiting for the full reconcile of file held by job')),
    ).toBe(true);

    const runs = j.runs('full');
    expect(runs.map(r => r.status)).toEqual(['succeeded', 'succeeded']);
    const [a, b] = runs;
    expect(b!.startedAt >= (a!.finishedAt ?? '')).toBe(true);
    expect(comparable(j.h.sim.state())).toEqual(expected.state);
    expect(j.h.sim.writes().map(writeKey).sort()).toEqual(expected.writes);
    await Promise.all(
      workers.map(async w => {
        w.child.kill('SIGTERM');
        expect((await w.exited).code).toBe(0);
      }),
    );
  });

  it('drops a scheduled delta run while another run of the source holds the lock', async () => {
    const redis = new Redis(j.redisUrl);
    try {
      const held = await tryLock(redis, lockKey(j.app().config.jobs, 'full-file'), {
        ttlMs: 10_000,
        label: 'a long drift check',
      });
      j.startWorker();
      const scheduled = await j.queue.add('full-reconcile', {
        source: 'file',
        mode: 'delta',
        trigger: 'schedule',
      });
      await j.waitIdle();
      const job = await j.queue.getJob(scheduled.id!);
      expect(job?.returnvalue).toMatchObject({ status: 'skipped' });
      expect(job?.returnvalue.reason).toContain('a long drift check');
      expect(j.runs('full')).toEqual([]);
      if (held.acquired) {
        await held.lock.release();
      }
    } finally {
      redis.disconnect();
    }
  });
});
