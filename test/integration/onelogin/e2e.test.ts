/**
 * The OneLogin source against the simulator: cursor paging across many pages (more than 1,000
 * users and role members), status codes, incremental reads with `updated_since`, failures that
 * must leave the snapshot incomplete, 429s and the hourly budget.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { readSnapshot } from '../../../src/reconcile/snapshot.js';
import type { OneLoginSimulator } from '../../../src/sim/onelogin/types.js';
import { clientId, collect, memoryState, oneloginSourceFor, startOneLogin } from './setup.js';

let sim: OneLoginSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const names = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `user${String(from + i).padStart(5, '0')}`);

describe('onelogin source: many pages', () => {
  it('reads 1,500 users and a role of 1,200 members through After-Cursor paging', async () => {
    sim = await startOneLogin({
      generatedUsers: 1_500,
      roles: [
        { name: 'ai-all', members: names(1, 1_200) },
        { name: 'finance', members: names(1_201, 1_300) },
      ],
    });
    const source = oneloginSourceFor(sim);
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(true);
    expect(snapshot.groups).toHaveLength(1);
    expect(snapshot.groups[0]?.memberIds).toHaveLength(1_200);
    expect(snapshot.users.size).toBe(1_200);
    // Every 10th generated user is suspended (2), every 25th locked (3): both inactive.
    const inactive = [...snapshot.users.values()]
      .filter(user => !user.active)
      .map(user => user.login);
    expect(inactive).toHaveLength(120 + 48 - 24);
    expect(inactive).toContain('user00010');
    expect(inactive).toContain('user00025');
    const calls = sim.calls().byEndpoint;
    expect(calls['GET /api/2/users']).toBe(15);
    expect(calls['GET /api/2/roles/{id}/users']).toBe(12);
    expect(calls['POST /auth/oauth2/v2/token']).toBe(1);
  });
});

describe('onelogin source: status and per-user reads', () => {
  it('maps status codes: active, password expired active; unactivated, suspended, locked inactive', async () => {
    sim = await startOneLogin({
      users: [1, 4, 0, 2, 3].map((status, i) => ({
        id: 10 + i,
        username: `u${status}`,
        email: `u${status}@example.com`,
        status,
      })),
      roles: [{ id: 99, name: 'ai-team', members: [10, 11, 12, 13, 14] }],
    });
    const users = await collect(oneloginSourceFor(sim).listUsers());
    expect(Object.fromEntries(users.map(user => [user.login, user.active]))).toEqual({
      u1: true,
      u4: true,
      u0: false,
      u2: false,
      u3: false,
    });
    const reading = await oneloginSourceFor(sim).readUser('u3');
    expect(reading).toMatchObject({
      kind: 'found',
      user: { externalId: '14', active: false },
      groups: [{ externalId: '99', name: 'ai-team' }],
    });
    expect(await oneloginSourceFor(sim).readUser('424242')).toEqual({
      kind: 'deleted',
      source: 'onelogin',
      subject: '424242',
    });
  });
});

describe('onelogin source: incremental reads', () => {
  it('reads only users updated since the last read, and still sees role changes and deletions', async () => {
    let clock = Date.parse('2026-03-01T10:00:00.000Z');
    sim = await startOneLogin(
      { generatedUsers: 300, roles: [{ id: 900_001, name: 'ai-all', members: names(1, 5) }] },
      { now: () => clock },
    );
    const state = memoryState();
    const source = oneloginSourceFor(sim, {}, { state, now: () => new Date(clock) });
    clock += 3_600_000;
    const first = await readSnapshot(source, 'incremental');
    expect(first.complete).toBe(true);
    expect(sim.calls().userQueries.every(query => !query.includes('updated_since'))).toBe(true);

    clock += 3_600_000;
    const id = (n: number) =>
      [...sim!.account.users.values()].find(u => u.username === `user0000${n}`)?.id ?? 0;
    sim.updateUser(id(1), { status: 2 });
    sim.deleteUser(id(2));
    sim.account.roles.get(900_001)?.members.add(id(6));
    sim.resetCounters();
    clock += 60_000;
    const second = await readSnapshot(source, 'incremental');
    expect(second.complete).toBe(true);
    expect(second.users.get(String(id(1)))?.active).toBe(false);
    expect(second.users.has(String(id(2)))).toBe(false);
    expect(second.users.get(String(id(6)))?.active).toBe(true);
    const queries = sim.calls().userQueries;
    expect(queries).toHaveLength(1);
    expect(decodeURIComponent(queries[0] ?? '')).toContain(
      'updated_since=2026-03-01T10:55:00.000Z',
    );
  });

  it('reads in full once the last full read is older than fullResyncHours', async () => {
    let clock = Date.parse('2026-03-01T10:00:00.000Z');
    sim = await startOneLogin(
      { generatedUsers: 3, roles: [{ name: 'ai-all', members: names(1, 3) }] },
      { now: () => clock },
    );
    const source = oneloginSourceFor(
      sim,
      { fullResyncHours: 1 },
      { state: memoryState(), now: () => new Date(clock) },
    );
    await readSnapshot(source, 'incremental');
    clock += 2 * 3_600_000;
    sim.resetCounters();
    await readSnapshot(source, 'incremental');
    expect(sim.calls().userQueries.some(query => query.includes('updated_since'))).toBe(false);
  });
});

describe('onelogin source: failures leave the snapshot incomplete', () => {
  it('a refused token request', async () => {
    sim = await startOneLogin({
      users: [{ id: 1, username: 'a' }],
      roles: [{ name: 'ai-x', members: [1] }],
    });
    sim.setClientSecret(clientId, 'rotated');
    const snapshot = await readSnapshot(oneloginSourceFor(sim), 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.problems.join('\n')).toMatch(
      /401 Authentication Failure.*ONELOGIN_CLIENT_SECRET/,
    );
  });

  it('a token revoked between runs is fetched again once', async () => {
    sim = await startOneLogin({
      users: [{ id: 1, username: 'a' }],
      roles: [{ name: 'ai-x', members: [1] }],
    });
    const source = oneloginSourceFor(sim);
    expect((await readSnapshot(source, 'full')).complete).toBe(true);
    sim.revokeTokens();
    expect((await readSnapshot(source, 'full')).complete).toBe(true);
    expect(sim.calls().byEndpoint['POST /auth/oauth2/v2/token']).toBe(2);
  });

  it('a credential revoked for good', async () => {
    sim = await startOneLogin({
      users: [{ id: 1, username: 'a' }],
      roles: [{ name: 'ai-x', members: [1] }],
    });
    const source = oneloginSourceFor(sim);
    await readSnapshot(source, 'full');
    sim.revokeTokens();
    sim.setClientSecret(clientId, 'rotated');
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.groups).toEqual([]);
  });
});

describe('onelogin source: rate limits', () => {
  it('retries 429s and 5xx answers', async () => {
    sim = await startOneLogin({
      users: [{ id: 1, username: 'a' }],
      roles: [{ name: 'ai-x', members: [1] }],
    });
    sim.setFaults([
      { path: '/api/2/roles', status: 429, times: 2 },
      { path: '/api/2/users', status: 502, times: 1 },
    ]);
    const source = oneloginSourceFor(sim);
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(true);
    expect(source.report().throttled['GET /api/2/roles']).toBe(2);
  });

  it('keeps to its share of the hourly budget, counted in its state across instances', async () => {
    const clock = Date.parse('2026-03-01T10:00:00.000Z');
    sim = await startOneLogin(
      { generatedUsers: 250, roles: [{ name: 'ai-all', members: names(1, 250) }] },
      { callsPerHour: 10, now: () => clock },
    );
    const state = memoryState();
    const deps = { state, now: () => new Date(clock) };
    // 10 calls an hour at a share of 0.5: 5 for us. A read needs 1 token + 3 user pages + 1 roles + 3 member pages.
    const snapshot = await readSnapshot(
      oneloginSourceFor(sim, { rateLimitShare: 0.5 }, deps),
      'full',
    );
    expect(snapshot.complete).toBe(false);
    expect(snapshot.problems.join('\n')).toMatch(/share of the hourly API limit \(5 calls\)/);
    expect(sim.calls().throttled).toEqual({});
    // A second instance on the same state starts with the budget already spent.
    const again = oneloginSourceFor(sim, { rateLimitShare: 0.5 }, deps);
    await readSnapshot(again, 'full');
    expect(again.report().calls).toEqual({});
  });

  it('waits for the budget window when it resets soon', async () => {
    let clock = Date.parse('2026-03-01T10:59:30.000Z');
    sim = await startOneLogin(
      { users: [{ id: 1, username: 'a' }], roles: [{ name: 'ai-x', members: [1] }] },
      { callsPerHour: 4, now: () => clock },
    );
    const source = oneloginSourceFor(
      sim,
      { rateLimitShare: 0.5 },
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
    expect(source.report().waitedMs).toBe(30_000);
  });
});
