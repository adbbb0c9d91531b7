/**
 * Issue 11, part 3: a storm of login syncs racing full reconciles across two worker processes,
 * while the IdP changes under them (a user leaves a group and another is disabled while their
 * login syncs run). Once the queue is idle the LiteLLM state equals a fresh run over the final
 * directory, and no user or team was created twice. (test/jobs/interleave.test.ts and
 * single-flight.test.ts pin the single orderings; this one lets them collide.)
 */
import { afterAll, describe, expect, it } from 'vitest';

import { enqueueFullReconcile, enqueueUserSync } from '../../jobs/enqueue.js';
import { startHarness, type Directory } from '../helpers/harness.js';
import { startJobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';
import { fullState } from './fault-kit.js';

const users = Array.from({ length: 12 }, (_, i) => ({
  id: `u${i}`,
  email: `u${i}@example.com`,
  name: `User ${i}`,
}));

const before: Directory = {
  users,
  groups: [
    { id: 'g-a', name: 'ai-a', members: ['u0', 'u1', 'u2', 'u3'] },
    { id: 'g-b', name: 'ai-b', members: ['u1', 'u4', 'u5', 'u6'] },
    { id: 'g-c', name: 'ai-c', members: ['u7', 'u8', 'u9', 'u10', 'u11', 'u3'] },
  ],
};

/** u1 leaves ai-a, u3 is disabled, u11 joins ai-a. */
const after: Directory = {
  users: users.map(u => (u.id === 'u3' ? { ...u, status: 'disabled' as const } : u)),
  groups: [
    { id: 'g-a', name: 'ai-a', members: ['u0', 'u2', 'u3', 'u11'] },
    { id: 'g-b', name: 'ai-b', members: ['u1', 'u4', 'u5', 'u6'] },
    { id: 'g-c', name: 'ai-c', members: ['u7', 'u8', 'u9', 'u10', 'u11', 'u3'] },
  ],
};

describe('login syncs racing full reconciles across two worker processes', () => {
  afterAll(async () => (await testRedis()).stop());

  it(
    'settles on the state of a fresh run over the final directory, nothing created twice',
    { timeout: 60_000 },
    async () => {
      const reference = await startHarness();
      reference.writeDirectory(after);
      expect((await reference.sync()).status).toBe('succeeded');

      const j = await startJobsHarness((await testRedis()).url, {
        WORKER_CONCURRENCY: '3',
        APPLY_CONCURRENCY: '2',
      });
      try {
        j.h.writeDirectory(before);
        j.h.sim.setLatency(5);
        const workers = [j.spawnWorker(), j.spawnWorker()];
        await Promise.all(workers.map(w => w.ready));
        const login = (subject: string) =>
          enqueueUserSync(j.queue, { source: 'file', subject }, { debounceMs: 0 });
        let changed = false;
        j.h.sim.onWrite((_write, count) => {
          if (count === 6 && !changed) {
            // Mid-apply: the directory changes, and the users concerned log in right then.
            changed = true;
            j.h.writeDirectory(after);
            void Promise.all(['u1', 'u3', 'u11'].map(login));
          }
        });
        await Promise.all([
          enqueueFullReconcile(j.queue, { source: 'file', mode: 'full' }),
          ...users.map(u => login(u.id)),
        ]);
        await j.waitIdle(30_000);
        expect(changed).toBe(true);
        // Login syncs alone already put the changed users right.
        expect(fullState(j.h.sim.state())).toEqual(fullState(reference.sim.state()));
        // The schedule's next full run, as in production; it must find little or nothing to do.
        await enqueueFullReconcile(j.queue, { source: 'file', mode: 'full' });
        await j.waitIdle(30_000);
        expect(fullState(j.h.sim.state())).toEqual(fullState(reference.sim.state()));
        const creates = j.h.sim
          .writes()
          .filter(w => w.path === '/user/new' || w.path === '/team/new')
          .map(
            w =>
              `${w.path} ${JSON.stringify((w.body as { user_id?: string; team_id?: string }).user_id ?? (w.body as { team_id?: string }).team_id)}`,
          );
        expect(creates.length).toBe(new Set(creates).size);
        const failed = j.runs().filter(r => r.status !== 'succeeded' && r.status !== 'refused');
        expect(failed.map(r => [r.kind, r.subject, r.status])).toEqual([]);
      } finally {
        await j.close();
        await reference.close();
      }
    },
  );
});
