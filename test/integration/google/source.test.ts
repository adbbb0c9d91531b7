/**
 * The Google source against the simulator with the real `@googleapis/admin`: the service-account
 * token request (JWT verified by the simulator), paging over several pages, nested groups with a
 * cycle, suspended/archived users, quota refusals and auth failures — and that every failure
 * leaves the snapshot incomplete, so nothing is removed.
 */
import { generateKeyPairSync } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { SyncError } from '../../../src/errors.js';
import { readSnapshot } from '../../../src/reconcile/snapshot.js';
import type { GoogleScenario } from '../../../src/sim/google/directory.js';
import type { GoogleSimulator } from '../../../src/sim/google/server.js';
import { googleSourceFor, simUser, startGoogle } from './setup.js';

const sims: GoogleSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map(sim => sim.close()));
});

async function start(scenario: GoogleScenario, options: Parameters<typeof startGoogle>[1] = {}) {
  const sim = await startGoogle(scenario, options);
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

const group = (id: string, name: string, users: string[], groups: string[] = []) => ({
  id,
  email: `${name}@example.com`,
  name,
  members: [
    ...users.map(user => ({ id: user, type: 'USER' as const })),
    ...groups.map(child => ({ id: child, type: 'GROUP' as const })),
  ],
});

describe('google source: reading', () => {
  it('authenticates with a signed JWT assertion once and reads through the SDK', async () => {
    const sim = await start({
      users: [simUser('u1', 'ada@example.com')],
      groups: [group('g1', 'ai-one', ['u1'])],
    });
    const source = googleSourceFor(sim);
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(true);
    expect(snapshot.groups).toEqual([{ externalId: 'g1', name: 'ai-one', memberIds: ['u1'] }]);
    expect(sim.calls().byEndpoint['POST /token']).toBe(1);
    expect(source.report().calls).toBeGreaterThanOrEqual(4);
  });

  it('pages through users (500), groups (200) and members (200) over several pages', async () => {
    const users = Array.from({ length: 1201 }, (_, i) => simUser(`u${i}`, `user${i}@example.com`));
    const groups = Array.from({ length: 401 }, (_, i) =>
      group(
        `g${i}`,
        i === 0 ? 'ai-big' : `other-${i}`,
        i === 0 ? users.slice(0, 450).map(u => u.id) : [],
      ),
    );
    const sim = await start({ users, groups });
    const snapshot = await readSnapshot(googleSourceFor(sim), 'full');
    expect(snapshot.complete).toBe(true);
    expect(snapshot.users.size).toBe(1201);
    expect(snapshot.groups).toHaveLength(1);
    expect(snapshot.groups[0]?.memberIds).toHaveLength(450);
    const calls = sim.calls().byEndpoint;
    expect(calls['GET /users']).toBe(3);
    expect(calls['GET /groups']).toBe(3);
    expect(calls['GET /groups/{groupKey}/members']).toBe(3);
  });

  it('flattens nested groups, through out-of-scope groups and around a cycle', async () => {
    const sim = await start({
      users: ['a', 'b', 'c', 'd'].map(id => simUser(id, `${id}@example.com`)),
      groups: [
        group('g-top', 'ai-top', ['a'], ['g-mid']),
        group('g-mid', 'middle', ['b'], ['g-leaf']),
        group('g-leaf', 'leaf', ['c'], ['g-top']),
        group('g-other', 'finance', ['d']),
      ],
    });
    const groups = await collect(googleSourceFor(sim).listGroups());
    expect(groups).toHaveLength(1);
    expect([...(groups[0]?.memberIds ?? [])].sort()).toEqual(['a', 'b', 'c']);
  });

  it('reports suspended and archived users inactive, and reads them by e-mail', async () => {
    const sim = await start({
      users: [
        simUser('u-ok', 'ok@example.com'),
        simUser('u-susp', 'susp@example.com', { suspended: true }),
        simUser('u-arch', 'arch@example.com', { archived: true }),
      ],
      groups: [group('g1', 'ai-one', ['u-ok', 'u-susp', 'u-arch'])],
    });
    const source = googleSourceFor(sim);
    const users = await collect(source.listUsers());
    const active = Object.fromEntries(users.map(user => [user.externalId, user.active]));
    expect(active).toEqual({ 'u-ok': true, 'u-susp': false, 'u-arch': false });
    const reading = await source.readUser('ARCH@example.com');
    expect(reading).toMatchObject({ kind: 'found', user: { externalId: 'u-arch', active: false } });
  });

  it('treats users without status flags as unknown: the snapshot is incomplete, not a removal', async () => {
    const sim = await start({
      users: [
        simUser('u-ok', 'ok@example.com'),
        simUser('u-odd', 'odd@example.com', { omitStatus: true }),
      ],
      groups: [group('g1', 'ai-one', ['u-ok', 'u-odd'])],
    });
    const source = googleSourceFor(sim);
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.problems.join()).toMatch(/no suspended\/archived status for 1 user/);
    expect([...snapshot.users.keys()]).toEqual(['u-ok']);
    await expect(source.readUser('u-odd')).rejects.toMatchObject({
      code: 'SOURCE_INVALID_RESPONSE',
    });
  });
});

describe('google source: quotas and failures', () => {
  const scenario: GoogleScenario = {
    users: [simUser('u1', 'ada@example.com')],
    groups: [group('g1', 'ai-one', ['u1'])],
  };

  it('backs off on 403 userRateLimitExceeded and 429, honouring Retry-After', async () => {
    const sim = await start(scenario);
    sim.setFaults([
      { path: '/admin/directory/v1/users', status: 403, times: 1, headers: { 'retry-after': '7' } },
      { path: '/admin/directory/v1/groups', status: 429, times: 2 },
    ]);
    const waits: number[] = [];
    const source = googleSourceFor(
      sim,
      {},
      {},
      {
        sleep: ms => {
          waits.push(ms);
          return Promise.resolve();
        },
      },
    );
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(true);
    expect(waits).toContain(7000);
    expect(source.report().throttled).toBe(3);
  });

  it('gives up on a quota that does not recover: incomplete snapshot, SOURCE_RATE_LIMITED', async () => {
    const sim = await start(scenario);
    sim.setFaults([{ path: '/admin/directory/v1/groups', status: 403 }]);
    const source = googleSourceFor(sim);
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.problems.join()).toMatch(/quota/);
    // The failed prepare makes both lists fail: nothing at all is treated as removed.
    expect(snapshot.users.size).toBe(0);
    await expect(collect(source.listGroups())).rejects.toMatchObject({
      code: 'SOURCE_RATE_LIMITED',
    });
  });

  it('keeps itself under its own queries-per-minute budget', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const sim = await start(scenario);
    const waits: number[] = [];
    const source = googleSourceFor(
      sim,
      { queriesPerMinute: 2 },
      { now: () => new Date(clock) },
      {
        sleep: ms => {
          waits.push(ms);
          clock += ms;
          return Promise.resolve();
        },
      },
    );
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(true);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits.every(ms => ms <= 60_000)).toBe(true);
  });

  it('a refused service account makes the snapshot incomplete with SOURCE_UNAUTHORIZED', async () => {
    const sim = await start(scenario);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyJson = JSON.stringify({
      client_email: 'idp-sync@sim-project.iam.gserviceaccount.com',
      private_key: other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const source = googleSourceFor(sim, { keyJson });
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.problems.join()).toMatch(/refused the service-account token.*invalid_grant/);
    const error = await source.readUser('u1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ code: 'SOURCE_UNAUTHORIZED' });
  });

  it('an admin without delegation is refused (unauthorized_client)', async () => {
    const sim = await start(scenario);
    const source = googleSourceFor(sim, { subject: 'someone@example.com' });
    await expect(source.readUser('u1')).rejects.toMatchObject({ code: 'SOURCE_UNAUTHORIZED' });
  });

  it('recovers from a revoked access token by fetching a new one', async () => {
    const sim = await start(scenario);
    const source = googleSourceFor(sim);
    expect((await readSnapshot(source, 'full')).complete).toBe(true);
    sim.revokeTokens();
    const again = await readSnapshot(source, 'full');
    expect(again.problems).toEqual([]);
    expect(sim.calls().byEndpoint['POST /token']).toBe(2);
  });
});
