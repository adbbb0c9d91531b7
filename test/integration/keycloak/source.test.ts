/**
 * The Keycloak source against the simulator with the real `@keycloak/keycloak-admin-client`:
 * client-credentials tokens (one per run, renewed after a 401), paging with `first`/`max`,
 * sub-groups flattened, disabled users, and failures that leave the snapshot incomplete.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { readSnapshot } from '../../../src/reconcile/snapshot.js';
import type { KeycloakSimulator } from '../../../src/sim/keycloak/server.js';
import { keycloakSourceFor, simUser, startKeycloak } from './setup.js';

const sims: KeycloakSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map(sim => sim.close()));
});

type Scenario = Parameters<typeof startKeycloak>[0];
async function start(scenario: Scenario, options: Parameters<typeof startKeycloak>[1] = {}) {
  const sim = await startKeycloak(scenario, options);
  sims.push(sim);
  return sim;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) {
    result.push(item);
  }
  return result;
}

const group = (id: string, name: string, members: string[], children: string[] = []) => ({
  id,
  name,
  members,
  children,
});

describe('keycloak source: reading', () => {
  it('re-authenticates once per run and reads with trailing-slash collection calls', async () => {
    const sim = await start({ users: [simUser('ada')], groups: [group('g1', 'ai-one', ['ada'])] });
    const source = keycloakSourceFor(sim);
    const first = await readSnapshot(source, 'full');
    expect(first.complete).toBe(true);
    expect(first.groups).toEqual([{ externalId: 'g1', name: 'ai-one', memberIds: ['ada'] }]);
    expect((await readSnapshot(source, 'full')).complete).toBe(true);
    expect(source.tokenRequests()).toBe(2);
    expect(sim.calls()['POST /token']).toBe(2);
  });

  it('pages users, groups, children and members with first/max', async () => {
    const users = Array.from({ length: 250 }, (_, i) => simUser(`u${String(i).padStart(3, '0')}`));
    const children = Array.from({ length: 120 }, (_, i) => group(`c${i}`, `child-${i}`, []));
    const tops = Array.from({ length: 149 }, (_, i) => group(`t${i}`, `other-${i}`, []));
    const sim = await start({
      users,
      groups: [
        group(
          'g-big',
          'ai-big',
          users.map(u => u.id),
          children.map(c => c.id),
        ),
        ...children,
        ...tops,
      ],
    });
    const snapshot = await readSnapshot(keycloakSourceFor(sim), 'full');
    expect(snapshot.complete).toBe(true);
    expect(snapshot.users.size).toBe(250);
    expect(snapshot.groups[0]?.memberIds).toHaveLength(250);
    const calls = sim.calls();
    expect(calls['GET /users']).toBe(3);
    expect(calls['GET /groups']).toBe(2);
    expect(calls['GET /groups/{id}/children']).toBe(2);
    // One member page per reached group (121), plus two more pages for the big one.
    expect(calls['GET /groups/{id}/members']).toBe(123);
  });

  it('flattens sub-groups into their in-scope ancestors', async () => {
    const sim = await start({
      users: ['a', 'b', 'c', 'd'].map(id => simUser(id)),
      groups: [
        group('g-top', 'ai-top', ['a'], ['g-mid']),
        group('g-mid', 'middle', ['b'], ['g-leaf']),
        group('g-leaf', 'ai-leaf', ['c']),
        group('g-other', 'finance', ['d']),
      ],
    });
    const source = keycloakSourceFor(sim);
    const groups = await collect(source.listGroups());
    const byId = Object.fromEntries(groups.map(g => [g.externalId, [...g.memberIds].sort()]));
    expect(byId).toEqual({ 'g-top': ['a', 'b', 'c'], 'g-leaf': ['c'] });
    const reading = await source.readUser('c');
    expect(reading.kind === 'found' && reading.groups.map(g => g.externalId).sort()).toEqual([
      'g-leaf',
      'g-top',
    ]);
  });

  it('reports disabled users inactive and users without `enabled` as unknown', async () => {
    const sim = await start({
      users: [simUser('on'), simUser('off', false), simUser('odd', true, { omitEnabled: true })],
      groups: [group('g1', 'ai-one', ['on', 'off', 'odd'])],
    });
    const source = keycloakSourceFor(sim);
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.problems.join()).toMatch(/no enabled flag for 1 user/);
    expect(snapshot.users.get('off')?.active).toBe(false);
    expect(snapshot.users.get('on')?.active).toBe(true);
    expect(snapshot.users.has('odd')).toBe(false);
    expect(await source.readUser('OFF@example.com')).toMatchObject({
      kind: 'found',
      user: { externalId: 'off', active: false },
    });
  });
});

describe('keycloak source: auth and failures', () => {
  const scenario: Scenario = { users: [simUser('ada')], groups: [group('g1', 'ai-one', ['ada'])] };

  it('renews an expired token after a 401 and carries on', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const sim = await start(scenario, { now: () => clock });
    const source = keycloakSourceFor(sim);
    expect((await source.readUser('ada')).kind).toBe('found');
    // The simulator's clock moves past the token's exp; the source's does not notice.
    clock += 10 * 60_000;
    expect((await source.readUser('ada')).kind).toBe('found');
    expect(source.tokenRequests()).toBe(2);
  });

  it('a wrong client secret makes the snapshot incomplete with SOURCE_UNAUTHORIZED', async () => {
    const sim = await start(scenario);
    const source = keycloakSourceFor(sim, { clientSecret: 'wrong' });
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.problems.join()).toMatch(
      /refused the client-credentials token \(401 invalid_client/,
    );
    await expect(source.readUser('ada')).rejects.toMatchObject({ code: 'SOURCE_UNAUTHORIZED' });
  });

  it('admin calls that keep answering 401 fail the read: incomplete, nothing removed', async () => {
    const sim = await start(scenario);
    sim.setFaults([{ path: '/admin/realms/acme/groups/g1/members', status: 401 }]);
    const source = keycloakSourceFor(sim);
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.users.size).toBe(0);
    expect(snapshot.problems.join()).toMatch(/rejected the token/);
  });

  it('a 503 on one member page makes the snapshot incomplete', async () => {
    const sim = await start(scenario);
    sim.setFaults([{ path: '/admin/realms/acme/groups/g1/members', status: 503 }]);
    const snapshot = await readSnapshot(keycloakSourceFor(sim), 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.problems.join()).toMatch(/503/);
  });
});
