/**
 * Incremental reads: delta rounds keep the mirror equal to what a full read of the directory
 * gives, with a handful of calls; a rejected or expired delta link falls back to a full read;
 * a failed refresh leaves the mirror and its links as they were.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readSnapshot } from '../../../src/reconcile/snapshot.js';
import type { EntraSimulator } from '../../../src/sim/entra/types.js';
import type { EntraSource } from '../../../src/sources/entra/index.js';
import type { SourceState } from '../../../src/sources/types.js';
import { collect, entraSourceFor, memoryState, membersByName, startEntra } from './setup.js';

const user = (id: string) => ({
  id,
  displayName: id,
  userPrincipalName: `${id}@contoso.test`,
  mail: `${id}@contoso.test`,
});

/** What a brand-new source reads in full right now: the ground truth to compare with. */
async function truth(sim: EntraSimulator) {
  const fresh = entraSourceFor(sim);
  await fresh.prepare?.('full');
  return { groups: await membersByName(fresh), users: await usersOf(fresh) };
}

async function usersOf(source: EntraSource) {
  const users = await collect(source.listUsers());
  return Object.fromEntries(users.map(u => [u.externalId, { active: u.active, email: u.email }]));
}

async function stateOf(source: EntraSource) {
  return { groups: await membersByName(source), users: await usersOf(source) };
}

const fullReadCalls = (sim: EntraSimulator) => sim.calls()['GET /v1.0/users'] ?? 0;
const graphCalls = (sim: EntraSimulator) =>
  Object.entries(sim.calls())
    .filter(([endpoint]) => endpoint.includes('/v1.0/'))
    .reduce((sum, [, count]) => sum + count, 0);

describe('Entra delta rounds', () => {
  let sim: EntraSimulator;
  let state: SourceState;
  let source: EntraSource;

  beforeEach(async () => {
    sim = await startEntra({
      users: ['ada', 'grace', 'alan', 'edsger', 'kat', 'linus', 'margaret'].map(user),
      groups: [
        { id: 'g-platform', displayName: 'ai-platform', members: ['ada', 'edsger', 'g-ml'] },
        { id: 'g-ml', displayName: 'ai-ml', members: ['grace', 'g-contractors'] },
        { id: 'g-contractors', displayName: 'contractors', members: ['kat'] },
        { id: 'g-ops', displayName: 'ops', members: ['linus'] },
      ],
    });
    state = memoryState();
    source = entraSourceFor(sim, {}, { state });
    await source.prepare?.('full');
  });
  afterEach(() => sim.close());

  it('picks up added, removed, renamed, disabled, soft-deleted and nested-child changes with a few calls', async () => {
    const { directory } = sim;
    directory.addMember('g-ml', 'alan'); // added member
    directory.removeMember('g-platform', 'ada'); // removed member
    directory.renameGroup('g-ml', 'ai-machine-learning'); // renamed group
    directory.disableUser('grace'); // disabled user
    directory.softDeleteUser('edsger'); // soft-deleted user (also leaves its groups)
    directory.addMember('g-contractors', 'margaret'); // change in a nested child group
    directory.renameGroup('g-ops', 'ai-ops'); // renamed into scope
    sim.resetCounters();

    await source.prepare?.('incremental');

    expect(fullReadCalls(sim)).toBe(0);
    expect(graphCalls(sim)).toBeLessThanOrEqual(4);
    const after = await stateOf(source);
    expect(after.groups).toEqual({
      'ai-platform': ['alan', 'grace', 'kat', 'margaret'],
      'ai-machine-learning': ['alan', 'grace', 'kat', 'margaret'],
      'ai-ops': ['linus'],
    });
    expect(after.users['grace']?.active).toBe(false);
    expect(after.users['edsger']).toBeUndefined();
    expect(after).toEqual(await truth(sim));
  });

  it('reads nothing but two delta pages when nothing changed', async () => {
    sim.resetCounters();
    await source.prepare?.('incremental');
    expect(sim.calls()).toEqual({ 'GET /v1.0/users/delta': 1, 'GET /v1.0/groups/delta': 1 });
    expect(sim.priorities()).toEqual({ low: 2 });
  });

  it('applies a large group arriving over several delta pages', async () => {
    const many = Array.from({ length: 1_200 }, (_, i) => `bulk${i}`);
    for (const id of many) {
      sim.directory.addUser(user(id));
      sim.directory.addMember('g-contractors', id);
    }
    await source.prepare?.('incremental');
    expect(sim.calls()['GET /v1.0/groups/delta']).toBeGreaterThan(1);
    expect(await stateOf(source)).toEqual(await truth(sim));
  });

  it('falls back to a full read on 410 Gone, without losing or duplicating anything', async () => {
    sim.directory.addMember('g-ml', 'alan');
    sim.directory.forceResync();
    sim.resetCounters();
    await source.prepare?.('incremental');
    expect(fullReadCalls(sim)).toBe(1);
    const groups = await collect(source.listGroups());
    for (const group of groups) {
      expect(new Set(group.memberIds).size).toBe(group.memberIds.length);
    }
    expect(await stateOf(source)).toEqual(await truth(sim));
    // The full read took fresh links: the next round is a delta round again.
    sim.resetCounters();
    await source.prepare?.('incremental');
    expect(fullReadCalls(sim)).toBe(0);
  });

  it('falls back to a full read when Graph says the delta token expired', async () => {
    const frozen = new Date(sim.now());
    const stale = entraSourceFor(sim, {}, { state, now: () => frozen });
    sim.setNow(sim.now() + 8 * 86_400_000); // Graph sees an 8-day-old token: 400 syncStateNotFound
    sim.directory.disableUser('ada');
    sim.resetCounters();
    await stale.prepare?.('incremental');
    expect(fullReadCalls(sim)).toBe(1);
    expect((await usersOf(stale))['ada']?.active).toBe(false);
  });

  it('reads in full, without asking Graph, when its own links are a week old', async () => {
    const later = entraSourceFor(
      sim,
      {},
      { state, now: () => new Date(sim.now() + 7 * 86_400_000) },
    );
    sim.resetCounters();
    await later.prepare?.('incremental');
    // One users/delta call: the full read's `$deltatoken=latest`, not a round of the old link.
    expect(sim.calls()['GET /v1.0/users/delta']).toBe(1);
    expect(fullReadCalls(sim)).toBe(1);
  });

  it('leaves the mirror and its links untouched when a refresh fails, and the snapshot is incomplete', async () => {
    const before = [...state.entries('')];
    sim.directory.addMember('g-ml', 'alan');
    sim.setFaults([{ method: 'GET', path: '/v1.0/groups/delta', status: 500 }]);
    await expect(source.prepare?.('incremental')).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
    });
    expect([...state.entries('')]).toEqual(before);

    const snapshot = await readSnapshot(source, 'incremental');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.problems[0]).toMatch(
      /^incremental refresh: Graph failed GET \/v1.0\/groups\/delta \(500/,
    );
    // What is served meanwhile is the previous mirror, unchanged.
    expect(snapshot.groups.find(group => group.name === 'ai-ml')?.memberIds).not.toContain('alan');

    sim.clearFaults();
    await source.prepare?.('incremental');
    expect(await stateOf(source)).toEqual(await truth(sim));
  });
});
