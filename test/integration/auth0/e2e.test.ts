/**
 * The Auth0 source against the simulator through the real `auth0` 7 SDK: paging past 1,000
 * users and members, blocked users, roles / organizations / both, failures that must leave the
 * snapshot incomplete, and the rate limit.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { readSnapshot } from '../../../src/reconcile/snapshot.js';
import type { Auth0Simulator } from '../../../src/sim/auth0/types.js';
import { auth0SourceFor, clientId, collect, startAuth0 } from './setup.js';

let sim: Auth0Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const label = (n: number) => `user${String(n).padStart(5, '0')}@example.com`;
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => label(from + i));

describe('auth0 source: a tenant of more than 1,000 users', () => {
  it('reads statuses through a users export and members through checkpoint paging', async () => {
    sim = await startAuth0(
      {
        generatedUsers: 1_500,
        roles: [
          { name: 'ai-all', members: range(1, 1_200) },
          { name: 'other', members: range(1_201, 1_300) },
        ],
      },
      { exportPolls: 2 },
    );
    const source = auth0SourceFor(sim);
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(true);
    expect(snapshot.groups).toHaveLength(1);
    expect(snapshot.groups[0]?.memberIds).toHaveLength(1_200);
    expect(snapshot.users.size).toBe(1_200);
    // Every 10th generated user is blocked.
    const inactive = [...snapshot.users.values()].filter(user => !user.active);
    expect(inactive).toHaveLength(120);
    expect(inactive.every(user => /user\d{4}0@/.test(user.email ?? ''))).toBe(true);
    const calls = sim.calls().byEndpoint;
    expect(calls['GET /roles/{id}/users']).toBe(12);
    expect(calls['POST /jobs/users-exports']).toBe(1);
    // Two polls answer `processing`, the third `completed`.
    expect(calls['GET /jobs/{id}']).toBe(3);
    expect(calls['GET /exports/{file}']).toBe(1);
    // Only the first page of /users is read: it says the tenant is past the cap.
    expect(calls['GET /users']).toBe(1);
    expect(calls['POST /oauth/token']).toBe(1);
  });

  it('pages /users directly while the tenant has at most 1,000 users', async () => {
    sim = await startAuth0({
      generatedUsers: 950,
      roles: [{ name: 'ai-all', members: range(1, 950) }],
    });
    const snapshot = await readSnapshot(auth0SourceFor(sim), 'full');
    expect(snapshot.complete).toBe(true);
    expect(snapshot.users.size).toBe(950);
    expect(sim.calls().byEndpoint['GET /users']).toBe(10);
    expect(sim.calls().byEndpoint['POST /jobs/users-exports']).toBeUndefined();
  });

  it('reads a member missing from the export on its own, and drops one Auth0 no longer has', async () => {
    sim = await startAuth0({
      generatedUsers: 1_001,
      roles: [{ name: 'ai-all', members: range(1, 3) }],
    });
    const { users } = sim.tenant;
    const id = (n: number) => [...users.values()].find(u => u.email === label(n))?.user_id ?? '';
    const [lagging, deleted] = [id(1), id(2)];
    const laggingRecord = users.get(lagging);
    const source = auth0SourceFor(
      sim,
      {},
      {
        fetch: async (input, init) => {
          const url = input instanceof Request ? input.url : input.toString();
          if (init?.method === 'POST' && url.endsWith('/jobs/users-exports')) {
            // Both were listed as members; neither makes it into the export.
            users.delete(lagging);
            users.delete(deleted);
            const answer = await fetch(input, init);
            if (laggingRecord !== undefined) {
              users.set(lagging, laggingRecord);
            }
            return answer;
          }
          return fetch(input, init);
        },
      },
    );
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(true);
    expect([...snapshot.users.keys()].sort()).toEqual([lagging, id(3)].sort());
    expect(snapshot.groups[0]?.memberIds).not.toContain(deleted);
    expect(sim.calls().byEndpoint['GET /users/{id}']).toBe(2);
  });
});

describe('auth0 source: teams', () => {
  const scenario = {
    users: [
      { user_id: 'auth0|a', email: 'a@example.com' },
      { user_id: 'auth0|b', email: 'b@example.com', blocked: true },
    ],
    roles: [{ id: 'rol_1', name: 'ai-role', members: ['auth0|a'] }],
    organizations: [
      { id: 'org_1', name: 'ai-org', display_name: 'AI Org', members: ['auth0|a', 'auth0|b'] },
    ],
  };

  it('takes roles, organizations or both', async () => {
    sim = await startAuth0(scenario);
    const names = async (groupsFrom: 'roles' | 'organizations' | 'both') =>
      (await collect(auth0SourceFor(sim!, { groupsFrom }).listGroups())).map(g => g.name).sort();
    expect(await names('roles')).toEqual(['ai-role']);
    // An organization shows its display name; the scope also matches its slug.
    expect(await names('organizations')).toEqual(['AI Org']);
    expect(await names('both')).toEqual(['AI Org', 'ai-role']);
  });

  it('reports a blocked user as inactive, in lists and per-user reads', async () => {
    sim = await startAuth0(scenario);
    const source = auth0SourceFor(sim, { groupsFrom: 'both' });
    const users = await collect(source.listUsers());
    expect(users.find(u => u.externalId === 'auth0|b')?.active).toBe(false);
    const reading = await source.readUser('B@Example.com');
    expect(reading).toMatchObject({
      kind: 'found',
      user: { externalId: 'auth0|b', active: false },
    });
    expect(reading.kind === 'found' && reading.groups).toEqual([
      { externalId: 'org_1', name: 'AI Org' },
    ]);
  });
});

describe('auth0 source: failures leave the snapshot incomplete', () => {
  it('a refused token request', async () => {
    sim = await startAuth0({
      users: [{ user_id: 'auth0|a' }],
      roles: [{ name: 'ai-x', members: ['auth0|a'] }],
    });
    sim.setClientSecret(clientId, 'rotated');
    const snapshot = await readSnapshot(auth0SourceFor(sim), 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.problems.join('\n')).toMatch(/access_denied.*AUTH0_CLIENT_SECRET/);
    // Exactly one token request: a refusal is not retried.
    expect(sim.calls().byEndpoint['POST /oauth/token']).toBe(1);
  });

  it('a token revoked between runs', async () => {
    sim = await startAuth0({
      users: [{ user_id: 'auth0|a' }],
      roles: [{ name: 'ai-x', members: ['auth0|a'] }],
    });
    const source = auth0SourceFor(sim);
    expect((await readSnapshot(source, 'full')).complete).toBe(true);
    sim.revokeTokens();
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.problems.join('\n')).toMatch(/401/);
  });

  it('a server that keeps failing', async () => {
    sim = await startAuth0({
      users: [{ user_id: 'auth0|a' }],
      roles: [{ name: 'ai-x', members: ['auth0|a'] }],
    });
    sim.setFaults([{ path: '/api/v2/roles/*', status: 503 }]);
    const snapshot = await readSnapshot(auth0SourceFor(sim), 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.groups).toEqual([]);
    expect(sim.calls().byEndpoint['GET /roles/{id}/users']).toBe(4);
  });
});

describe('auth0 source: rate limits', () => {
  it('retries a 429 after x-ratelimit-reset and a 5xx after backoff', async () => {
    sim = await startAuth0({
      users: [{ user_id: 'auth0|a' }],
      roles: [{ name: 'ai-x', members: ['auth0|a'] }],
    });
    sim.setFaults([
      { path: '/api/v2/roles', status: 429, times: 2 },
      { path: '/api/v2/users', status: 500, times: 1 },
    ]);
    const source = auth0SourceFor(sim);
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(true);
    expect(sim.calls().throttled['GET /roles']).toBe(2);
    expect(source.report().throttled['GET /api/v2/roles']).toBe(2);
  });

  it('waits for the window to reset once the bucket is empty, instead of earning 429s', async () => {
    let clock = Date.parse('2026-01-01T00:00:00.000Z');
    sim = await startAuth0(
      { generatedUsers: 30, roles: [{ name: 'ai-all', members: range(1, 30) }] },
      { rateLimit: { limit: 1, windowMs: 1_000 }, now: () => clock },
    );
    const source = auth0SourceFor(
      sim,
      {},
      { now: () => new Date(clock) },
      {
        sleep: ms => {
          clock += ms;
          return Promise.resolve();
        },
      },
    );
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(true);
    expect(snapshot.users.size).toBe(30);
    expect(sim.calls().throttled).toEqual({});
    expect(source.report().waitedMs).toBeGreaterThan(0);
  });
});
