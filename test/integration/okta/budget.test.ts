/**
 * The rate-limit budget against the simulator's per-minute windows, on a virtual clock shared by
 * both sides (so minutes of waiting take milliseconds).
 */
import { afterEach, describe, expect, it } from 'vitest';

import { createVirtualClock, type VirtualClock } from '../../../src/sim/okta/clock.js';
import type { OktaSimulator } from '../../../src/sim/okta/simulator.js';
import { collect, memoryState, oktaSourceFor, startOkta } from './setup.js';

const bigOrg = {
  generate: { users: 1500, groups: 600, membersPerGroup: 20, groupNamePrefix: 'ai-team-' },
};

/** A fetch that records, per `X-Rate-Limit-Reset` window, how many groups-bucket calls got in. */
function recordingFetch() {
  const perWindow = new Map<string, number>();
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const path = new URL(input instanceof Request ? input.url : input).pathname;
    if (path.startsWith('/api/v1/groups')) {
      const reset = response.headers.get('x-rate-limit-reset') ?? '?';
      perWindow.set(reset, (perWindow.get(reset) ?? 0) + 1);
    }
    return response;
  };
  return { fetch: wrapped, perWindow };
}

async function snapshotOf(sim: OktaSimulator, clock: VirtualClock, fetchFn: typeof fetch) {
  const source = oktaSourceFor(
    sim,
    { scope: { ids: [], namePrefix: 'ai-', all: false }, rateLimitShare: 0.5 },
    { fetch: fetchFn, now: () => new Date(clock.now()), state: memoryState() },
    { sleep: clock.sleep },
  );
  await source.prepare?.('full');
  const groups = (await collect(source.listGroups()))
    .map(g => ({ ...g, memberIds: [...g.memberIds].sort() }))
    .sort((a, b) => a.externalId.localeCompare(b.externalId));
  const users = (await collect(source.listUsers())).sort((a, b) =>
    a.externalId.localeCompare(b.externalId),
  );
  return { source, groups, users };
}

describe('Okta rate-limit budget', () => {
  let sim: OktaSimulator | undefined;
  afterEach(async () => sim?.close());

  it('reads 600 groups and their members within a 600/min bucket at share 0.5, without a 429', async () => {
    const clock = createVirtualClock();
    sim = await startOkta(bigOrg, { now: clock.now, rateLimits: { groups: 600 } });
    const recording = recordingFetch();
    const { source, groups } = await snapshotOf(sim, clock, recording.fetch);

    expect(groups).toHaveLength(600);
    expect(sim.calls().throttled).toEqual({});
    expect(source.report().throttled).toEqual({});
    expect(source.report().calls).toMatchObject({
      'GET /api/v1/groups': 4,
      'GET /api/v1/groups/{id}/users': 600,
    });
    // 604 calls at 300 per window: the worker waited for two resets and never took more.
    expect(Math.max(...recording.perWindow.values())).toBeLessThanOrEqual(300);
    expect(recording.perWindow.size).toBeGreaterThanOrEqual(3);
    expect(clock.elapsedMs).toBeGreaterThanOrEqual(120_000);
  });

  it('ends a forced 429 storm in the same state as a calm run', async () => {
    const calmClock = createVirtualClock();
    sim = await startOkta(bigOrg, { now: calmClock.now });
    const calm = await snapshotOf(sim, calmClock, fetch);
    await sim.close();

    const stormClock = createVirtualClock();
    sim = await startOkta(bigOrg, {
      now: stormClock.now,
      faults: [
        { method: 'GET', path: '/api/v1/groups*', status: 429, probability: 0.3 },
        { method: 'GET', path: '/api/v1/groups', status: 429, times: 3 },
      ],
    });
    const storm = await snapshotOf(sim, stormClock, fetch);

    const throttled = Object.values(sim.calls().throttled).reduce((a, b) => a + b, 0);
    expect(throttled).toBeGreaterThan(100);
    expect(storm.groups).toEqual(calm.groups);
    expect(storm.users).toEqual(calm.users);
  });
});
