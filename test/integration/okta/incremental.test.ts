/**
 * Incremental reads: changes since the watermark applied to the mirror, on a virtual clock so
 * that "ten minutes later" is exact and the filters select only what changed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { IdpGroup } from '../../../src/model.js';
import { createVirtualClock, type VirtualClock } from '../../../src/sim/okta/clock.js';
import type { ScenarioInput } from '../../../src/sim/okta/scenario.js';
import type { OktaSimulator } from '../../../src/sim/okta/simulator.js';
import type { OktaSource, OktaSourceConfigInput } from '../../../src/sources/okta/index.js';
import type { SourceState } from '../../../src/sources/types.js';
import { collect, memoryState, oktaSourceFor, startOkta } from './setup.js';

const tenMinutes = 10 * 60_000;

const org: ScenarioInput = {
  users: ['ann', 'ben', 'cat', 'dan', 'eve'].map(name => ({
    id: `u-${name}`,
    login: `${name}@example.com`,
  })),
  groups: [
    { id: 'g-a', name: 'ai-a', members: ['u-ann', 'u-ben'] },
    { id: 'g-b', name: 'ai-b', members: ['u-ben', 'u-cat'] },
    { id: 'g-c', name: 'ai-c', members: ['u-dan'] },
    { id: 'g-fin', name: 'finance', members: ['u-eve'] },
  ],
};

const membersBy = (groups: readonly IdpGroup[]) =>
  Object.fromEntries(groups.map(g => [g.name, [...g.memberIds].sort()]));

describe('Okta incremental reads', () => {
  let sim: OktaSimulator;
  let clock: VirtualClock;
  let state: SourceState;
  const source = (config: Partial<OktaSourceConfigInput> = {}): OktaSource =>
    oktaSourceFor(sim, config, { now: () => new Date(clock.now()), state }, { sleep: clock.sleep });
  const callsOf = async (s: OktaSource, run: () => Promise<void>) => {
    const before = s.report().calls;
    await run();
    const after = s.report().calls;
    return Object.fromEntries(
      Object.entries(after)
        .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
        .filter(([, v]) => v > 0),
    );
  };

  beforeEach(async () => {
    clock = createVirtualClock();
    sim = await startOkta(org, { now: clock.now });
    state = memoryState();
    clock.advance(tenMinutes);
    await source().prepare?.('full');
    clock.advance(tenMinutes);
  });
  afterEach(async () => sim.close());

  it('picks up a membership added and one removed, re-reading only those groups', async () => {
    sim.directory.addMember('g-a', 'u-cat');
    sim.directory.removeMember('g-b', 'u-ben');
    const s = source();
    const calls = await callsOf(s, async () => s.prepare?.('incremental'));
    expect(calls).toEqual({
      'GET /api/v1/groups': 1,
      'GET /api/v1/groups/{id}/users': 2,
      'GET /api/v1/users': 1,
    });
    expect(membersBy(await collect(s.listGroups()))).toEqual({
      'ai-a': ['u-ann', 'u-ben', 'u-cat'],
      'ai-b': ['u-cat'],
      'ai-c': ['u-dan'],
    });
  });

  it("sets the watermark on Okta's clock, so a fast local clock misses nothing", async () => {
    state = memoryState();
    const fast = () =>
      oktaSourceFor(
        sim,
        {},
        { now: () => new Date(clock.now() + tenMinutes), state },
        { sleep: clock.sleep },
      );
    await fast().prepare?.('full');
    clock.advance(60_000);
    sim.directory.addMember('g-c', 'u-ann');
    const s = fast();
    await s.prepare?.('incremental');
    expect(membersBy(await collect(s.listGroups()))['ai-c']).toEqual(['u-ann', 'u-dan']);
  });

  it('picks up renames, into and out of scope', async () => {
    sim.directory.renameGroup('g-a', 'ai-alpha');
    sim.directory.renameGroup('g-c', 'legacy-c');
    sim.directory.renameGroup('g-fin', 'ai-finance');
    const s = source();
    await s.prepare?.('incremental');
    expect(membersBy(await collect(s.listGroups()))).toEqual({
      'ai-alpha': ['u-ann', 'u-ben'],
      'ai-b': ['u-ben', 'u-cat'],
      'ai-finance': ['u-eve'],
    });
    const users = (await collect(s.listUsers())).map(u => u.externalId).sort();
    expect(users).toEqual(['u-ann', 'u-ben', 'u-cat', 'u-eve']);
  });

  it('picks up a suspension and a reactivation without re-reading any group', async () => {
    sim.directory.suspend('u-ben');
    sim.directory.deactivate('u-dan');
    const s = source();
    const calls = await callsOf(s, async () => s.prepare?.('incremental'));
    expect(calls).toEqual({ 'GET /api/v1/groups': 1, 'GET /api/v1/users': 1 });
    const active = async () =>
      Object.fromEntries((await collect(s.listUsers())).map(u => [u.externalId, u.active]));
    expect(await active()).toMatchObject({ 'u-ben': false, 'u-dan': false, 'u-ann': true });

    clock.advance(tenMinutes);
    sim.directory.unsuspend('u-ben');
    sim.directory.activate('u-dan');
    await s.prepare?.('incremental');
    expect(await active()).toMatchObject({ 'u-ben': true, 'u-dan': true });
    expect(membersBy(await collect(s.listGroups()))['ai-c']).toEqual(['u-dan']);
  });

  it('drops a hard-deleted user through the changed memberships of their groups', async () => {
    sim.directory.deleteUser('u-cat'); // deactivates
    sim.directory.deleteUser('u-cat'); // deletes, removing the memberships
    const s = source();
    await s.prepare?.('incremental');
    expect(membersBy(await collect(s.listGroups()))['ai-b']).toEqual(['u-ben']);
    expect((await collect(s.listUsers())).map(u => u.externalId)).not.toContain('u-cat');
  });

  it('leaves mirror and watermark untouched when a refresh fails, and catches up afterwards', async () => {
    const meta = state.get('meta');
    sim.directory.addMember('g-c', 'u-eve');
    sim.setApiTokens([]);
    const s = source();
    await expect(s.prepare?.('incremental')).rejects.toMatchObject({ code: 'SOURCE_UNAUTHORIZED' });
    expect(state.get('meta')).toBe(meta);
    await expect(collect(s.listGroups())).rejects.toMatchObject({ code: 'SOURCE_UNAUTHORIZED' });

    sim.setApiTokens(['00sim-api-token-0123456789abcdef']);
    const again = source();
    await again.prepare?.('incremental');
    expect(membersBy(await collect(again.listGroups()))['ai-c']).toEqual(['u-dan', 'u-eve']);
  });

  it('reads in full when the last full read is too old, or the scope changed', async () => {
    sim.directory.deleteGroup('g-c');
    const s = source();
    await s.prepare?.('incremental');
    // A deleted group leaves no trace in the filters: it stays until the drift check.
    expect(Object.keys(membersBy(await collect(s.listGroups())))).toContain('ai-c');

    clock.advance(25 * 3_600_000);
    const calls = await callsOf(s, async () => s.prepare?.('incremental'));
    expect(calls['GET /api/v1/groups/{id}/users']).toBe(2);
    expect(Object.keys(membersBy(await collect(s.listGroups()))).sort()).toEqual(['ai-a', 'ai-b']);

    const wider = source({ scope: { all: true } });
    await wider.prepare?.('incremental');
    expect(Object.keys(membersBy(await collect(wider.listGroups()))).sort()).toEqual([
      'ai-a',
      'ai-b',
      'finance',
    ]);
  });
});
