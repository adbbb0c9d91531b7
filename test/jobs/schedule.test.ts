import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { upsertSchedules, wantedSchedules } from '../../jobs/schedule.js';
import { ConfigError } from '../../src/errors.js';
import { startJobsHarness, type JobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';

describe('schedules', () => {
  let j: JobsHarness;
  beforeEach(async () => {
    j = await startJobsHarness((await testRedis()).url, {
      SYNC_CRON: '*/15 * * * *',
      FULL_SYNC_CRON: '0 3 * * *',
    });
    j.h.writeDirectory({ users: [], groups: [] });
  });
  afterEach(async () => j.close());
  afterAll(async () => (await testRedis()).stop());

  const registered = async () => {
    const schedulers = await j.queue.getJobSchedulers(0, -1, true);
    const delayed = await j.queue.getJobs(['delayed'], 0, -1);
    return {
      ids: schedulers.map(s => [s.key, s.pattern]).sort(),
      pending: delayed.map(job => job?.repeatJobKey).sort(),
    };
  };

  it('exist exactly once after three restarts of `idp-sync worker`', async () => {
    for (let restart = 0; restart < 3; restart += 1) {
      const worker = j.spawnWorker({}, { bin: true });
      await worker.ready;
      expect(worker.stdout()).toContain(
        'schedule sync-file: */15 * * * * (incremental where supported',
      );
      worker.child.kill('SIGTERM');
      expect((await worker.exited).code).toBe(0);
    }
    expect(await registered()).toEqual({
      ids: [
        ['drift-file', '0 3 * * *'],
        ['sync-file', '*/15 * * * *'],
      ],
      pending: ['drift-file', 'sync-file'],
    });
    const sync = await j.queue.getJobScheduler('sync-file');
    expect(sync?.template?.data).toEqual({ source: 'file', mode: 'delta', trigger: 'schedule' });
  });

  it('are not duplicated by workers starting at the same moment', async () => {
    const settings = j.app().config.jobs;
    await Promise.all([1, 2, 3, 4].map(() => upsertSchedules(j.queue, settings, ['file'])));
    expect((await registered()).pending).toEqual(['drift-file', 'sync-file']);
  });

  it('SYNC_CRON=off removes the incremental schedule; a new pattern replaces the old one', async () => {
    await upsertSchedules(j.queue, j.app().config.jobs, ['file']);
    const schedules = await upsertSchedules(
      j.queue,
      j.app({ SYNC_CRON: 'off', FULL_SYNC_CRON: '30 2 * * *' }).config.jobs,
      ['file'],
    );
    expect(schedules.map(s => [s.id, s.pattern, s.mode])).toEqual([
      ['drift-file', '30 2 * * *', 'full'],
    ]);
    expect(await registered()).toEqual({
      ids: [['drift-file', '30 2 * * *']],
      pending: ['drift-file'],
    });
  });

  it('names the variable when BullMQ refuses a pattern', async () => {
    const settings = { ...j.app().config.jobs, syncCron: '99 * * * *' };
    await expect(upsertSchedules(j.queue, settings, ['file'])).rejects.toThrow(ConfigError);
    await expect(upsertSchedules(j.queue, settings, ['file'])).rejects.toThrow(
      /SYNC_CRON: the pattern "99 \* \* \* \*" was refused/,
    );
  });

  it('are one pair per source', () => {
    const settings = j.app().config.jobs;
    expect(wantedSchedules(settings, ['file', 'entra']).map(s => s.id)).toEqual([
      'sync-file',
      'drift-file',
      'sync-entra',
      'drift-entra',
    ]);
  });
});
