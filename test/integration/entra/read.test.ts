/**
 * Full reads and per-user reads of the Entra source against the Graph simulator: nesting,
 * paging of every list, and the enterprise-application scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { EntraSimulator } from '../../../src/sim/entra/types.js';
import { collect, entraSourceFor, membersByName, startEntra } from './setup.js';

const user = (id: string, enabled = true) => ({
  id,
  displayName: id,
  userPrincipalName: `${id}@contoso.test`,
  mail: `${id}@contoso.test`,
  accountEnabled: enabled,
});
const ids = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
const endpointCalls = (sim: EntraSimulator, endpoint: string) => sim.calls()[endpoint] ?? 0;

describe('Entra full read: nesting', () => {
  let sim: EntraSimulator;
  beforeAll(async () => {
    sim = await startEntra({
      users: ['ada', 'grace', 'alan', 'kat', 'edsger', 'barbara'].map(id => user(id)),
      groups: [
        { id: 'g-parent', displayName: 'ai-parent', members: ['ada', 'grace', 'g-child'] },
        // Not in scope by name, but nested: its members are the parent's too.
        { id: 'g-child', displayName: 'child', members: ['grace', 'alan', 'g-grandchild'] },
        { id: 'g-grandchild', displayName: 'grandchild', members: ['kat'] },
        { id: 'g-loop-a', displayName: 'ai-loop-a', members: ['edsger', 'g-loop-b'] },
        { id: 'g-loop-b', displayName: 'loop-b', members: ['barbara', 'g-loop-a'] },
      ],
    });
  });
  afterAll(() => sim.close());

  it('flattens nested groups, counts a user reached through two paths once, survives a cycle', async () => {
    const source = entraSourceFor(sim);
    await source.prepare?.('full');
    expect(await membersByName(source)).toEqual({
      'ai-parent': ['ada', 'alan', 'grace', 'kat'],
      'ai-loop-a': ['barbara', 'edsger'],
    });
    const parent = (await collect(source.listGroups())).find(group => group.name === 'ai-parent');
    expect(parent?.memberIds.filter(id => id === 'grace')).toHaveLength(1);
  });

  it('lists without prepare by reading in full once', async () => {
    sim.resetCounters();
    const source = entraSourceFor(sim);
    await collect(source.listGroups());
    await collect(source.listUsers());
    expect(endpointCalls(sim, 'GET /v1.0/users')).toBe(1);
  });
});

describe('Entra full read: paging', () => {
  let sim: EntraSimulator;
  const userIds = ids('u', 5_000);
  const bigMembers = userIds.slice(0, 2_500);
  beforeAll(async () => {
    sim = await startEntra({
      users: userIds.map((id, i) => user(id, i % 100 !== 7)),
      groups: [
        { id: 'g-big', displayName: 'ai-big', members: bigMembers },
        { id: 'g-small', displayName: 'ai-small', members: ['u0001', 'g-big'] },
      ],
    });
  });
  afterAll(() => sim.close());

  it('reads 5,000 users and a 2,500-member group across pages, nothing lost or repeated', async () => {
    const source = entraSourceFor(sim);
    sim.resetCounters();
    await source.prepare?.('full');
    const users = await collect(source.listUsers());
    expect(users).toHaveLength(5_000);
    expect(new Set(users.map(u => u.externalId)).size).toBe(5_000);
    expect(users.filter(u => !u.active)).toHaveLength(50);
    const groups = await membersByName(source);
    expect(groups['ai-big']).toEqual([...bigMembers].sort());
    expect(groups['ai-small']).toEqual([...bigMembers].sort());
    const calls = sim.calls();
    // 999 per page: 6 pages of users, 3 pages of the big group's members (first one batched).
    expect(calls['GET /v1.0/users']).toBe(6);
    expect(calls['GET /v1.0/groups/{id}/members']).toBe(4);
    expect(calls['POST /v1.0/$batch']).toBe(1);
  });
});

describe('Entra per-user read and enterprise-application scope', () => {
  let sim: EntraSimulator;
  const teams = ids('g', 60);
  const assigned = ids('app', 120);
  beforeAll(async () => {
    sim = await startEntra({
      users: [user('ada'), user('bob'), { ...user('carol'), mail: 'carol.smith@contoso.test' }],
      groups: [
        // Ada is direct in 30 teams, and in 30 more through the (out-of-scope) hub.
        { id: 'hub', displayName: 'hub', members: ['ada'] },
        ...teams.map((id, i) => ({
          id,
          displayName: `ai-team-${i}`,
          members: [i < 30 ? 'ada' : 'hub'],
        })),
        ...assigned.map(id => ({ id, displayName: `app-${id}`, members: ['bob'] })),
      ],
      servicePrincipals: [
        {
          id: 'sp-litellm',
          displayName: 'LiteLLM',
          assignments: [
            ...assigned.map(principalId => ({ principalId })),
            { principalId: 'carol' },
          ],
        },
      ],
    });
  });
  afterAll(() => sim.close());

  it('returns every transitive group of a user in 60 groups, over several pages', async () => {
    const source = entraSourceFor(sim, {}, {}, { pageSize: 50 });
    sim.resetCounters();
    const reading = await source.readUser('ada');
    expect(reading.kind).toBe('found');
    if (reading.kind === 'found') {
      expect(reading.user).toMatchObject({ externalId: 'ada', active: true });
      expect(reading.groups.map(group => group.externalId).sort()).toEqual(teams);
    }
    expect(sim.calls()['GET /v1.0/users/{id}/transitiveMemberOf/microsoft.graph.group']).toBe(2);
    expect(sim.priorities()).toEqual({ normal: 3 });
  });

  it('finds a user by UPN or by mail, and reports an unknown one as deleted', async () => {
    const source = entraSourceFor(sim);
    expect(await source.readUser('ADA@contoso.test')).toMatchObject({
      kind: 'found',
      user: { externalId: 'ada' },
    });
    expect(await source.readUser('Carol.Smith@contoso.test')).toMatchObject({
      kind: 'found',
      user: { externalId: 'carol', email: 'carol.smith@contoso.test' },
    });
    expect(await source.readUser('nobody@contoso.test')).toEqual({
      kind: 'deleted',
      source: 'entra',
      subject: 'nobody@contoso.test',
    });
  });

  it('scopes to every group assigned to the enterprise application, past the first page', async () => {
    const source = entraSourceFor(
      sim,
      { scope: {}, appServicePrincipalId: 'sp-litellm' },
      {},
      { pageSize: 50 },
    );
    sim.resetCounters();
    await source.prepare?.('full');
    const groups = await collect(source.listGroups());
    expect(groups.map(group => group.externalId).sort()).toEqual(assigned);
    expect(groups.every(group => group.memberIds.join() === 'bob')).toBe(true);
    expect(sim.calls()['GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo']).toBe(3);
    const bob = await source.readUser('bob');
    expect(bob.kind === 'found' && bob.groups.length).toBe(120);
  });
});
