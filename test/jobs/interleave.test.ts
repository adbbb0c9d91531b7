/**
 * A login sync racing a full reconcile of the same source (design note in
 * src/reconcile/plan-interleave.ts): the per-user sync read the IdP later, so its view wins for
 * that user, and nothing it did is undone.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';

import { enqueueFullReconcile, enqueueUserSync } from '../../jobs/enqueue.js';
import type { IdpGroup } from '../../src/model.js';
import { comparable, startHarness, type Directory } from '../helpers/harness.js';
import { gate, startJobsHarness, waitFor, type JobsHarness } from '../helpers/jobs.js';
import { testRedis } from '../helpers/redis.js';

const users = [
  { id: 'alice', email: 'alice@example.com' },
  { id: 'bob', email: 'bob@example.com' },
  { id: 'carol', email: 'carol@example.com' },
];
const withAliceIn = (team: 'eng' | 'ops' | 'both'): Directory => ({
  users,
  groups: [
    {
      id: 'g-eng',
      name: 'ai-eng',
      members: ['bob', ...(team === 'eng' || team === 'both' ? ['alice'] : [])],
    },
    {
      id: 'g-ops',
      name: 'ai-ops',
      members: ['carol', ...(team === 'ops' || team === 'both' ? ['alice'] : [])],
    },
  ],
});

const teamsOf = (j: JobsHarness, userId: string): string[] =>
  j.h.sim
    .state()
    .teams.filter(t => t.members_with_roles.some(m => m.user_id === userId))
    .map(t => t.team_id)
    .sort();

/** LiteLLM as a clean sync of `directory` leaves it. */
async function cleanState(directory: Directory) {
  const clean = await startHarness();
  try {
    clean.writeDirectory(directory);
    await clean.sync();
    return comparable(clean.sim.state());
  } finally {
    await clean.close();
  }
}

describe('a login sync racing a full reconcile', () => {
  let j: JobsHarness;
  beforeEach(async () => {
    j = await startJobsHarness((await testRedis()).url);
    j.h.writeDirectory(withAliceIn('eng'));
    expect((await j.h.sync()).status).toBe('succeeded');
  });
  afterEach(async () => j.close());
  afterAll(async () => (await testRedis()).stop());

  it('a login sync that read the IdP after the full run began reading wins for that user', async () => {
    // The full run reads its groups (alice in eng), then stalls before planning.
    const stalled = gate();
    j.startWorker({
      wrap: deps => ({
        ...deps,
        source: {
          ...deps.source,
          listGroups: signal => ({
            async *[Symbol.asyncIterator]() {
              const groups: IdpGroup[] = [];
              for await (const group of deps.source.listGroups(signal)) {
                groups.push(group);
              }
              await stalled.wait();
              yield* groups;
            },
          }),
        },
      }),
    });
    const full = await enqueueFullReconcile(j.queue, { source: 'file', mode: 'full' });
    await stalled.reached;

    // Meanwhile alice moves from eng to ops, and logs in: her sync reads the new directory.
    j.h.writeDirectory(withAliceIn('ops'));
    await enqueueUserSync(j.queue, { source: 'file', subject: 'alice' }, { debounceMs: 0 });
    await waitFor(
      () => j.runs('user').find(r => r.subject === 'alice' && r.status === 'succeeded'),
      10_000,
      'alice synced',
    );
    expect(teamsOf(j, 'alice')).toEqual(['g-ops']);

    // The full run plans from its older read (alice in eng, not ops): it must leave her alone.
    stalled.open();
    await j.waitIdle();
    const job = await j.queue.getJob(full.jobId);
    expect(job?.returnvalue.status).toBe('succeeded');
    expect(job?.returnvalue.deferredUsers).toEqual(['alice']);
    expect((j.runs('full').at(-1)?.summary as { applied: unknown }).applied).toEqual({});
    expect(teamsOf(j, 'alice')).toEqual(['g-ops']);
    expect(comparable(j.h.sim.state())).toEqual(await cleanState(withAliceIn('ops')));
  });

  it('a login sync that lands while the full run applies older operations is repaired right after', async () => {
    // The full run reads "alice in ops only" and starts applying (add to ops, then remove from eng)...
    j.h.writeDirectory(withAliceIn('ops'));
    const paused = gate();
    let writes = 0;
    j.h.sim.onWrite(async () => {
      writes += 1;
      if (writes === 1) {
        await paused.wait();
      }
    });
    j.startWorker();
    const full = await enqueueFullReconcile(j.queue, { source: 'file', mode: 'full' });
    await paused.reached;

    // ...when alice moves back to eng only, and logs in: her sync takes her out of ops.
    j.h.writeDirectory(withAliceIn('eng'));
    await enqueueUserSync(j.queue, { source: 'file', subject: 'alice' }, { debounceMs: 0 });
    await waitFor(
      () => j.runs('user').find(r => r.subject === 'alice' && r.status === 'succeeded'),
      10_000,
      'alice synced',
    );

    // The full run's older "remove alice from eng" still goes out, but a repair sync follows.
    paused.open();
    await j.waitIdle();
    const job = await j.queue.getJob(full.jobId);
    expect(job?.returnvalue.enqueued).toBe(1);
    expect(j.runs('user').filter(r => r.subject === 'alice')).toHaveLength(2);
    expect(teamsOf(j, 'alice')).toEqual(['g-eng']);
    expect(comparable(j.h.sim.state())).toEqual(await cleanState(withAliceIn('eng')));
  });

  it('records when each per-user sync read the IdP', async () => {
    const before = Date.now();
    await j.h.resync('alice');
    const store = j.app().store;
    expect([...store.userSyncMarks('file', before).keys()]).toEqual(['alice']);
    expect(store.userSyncMarks('file', Date.now() + 1).size).toBe(0);
  });
});
