import { afterEach, describe, expect, it } from 'vitest';

import type { EntraScenario } from '../../../src/sim/entra/scenario.js';
import type { EntraSimulator, EntraSimulatorOptions } from '../../../src/sim/entra/types.js';
import {
  deltaRound,
  graph,
  idsOf,
  list,
  startSim,
  str,
  token,
  values,
  type JsonObject,
} from './helpers.js';

const bigMembers = Array.from({ length: 7 }, (_, i) => `m${i}`);
const scenario: EntraScenario = {
  users: [
    ...['u1', 'u2', 'u3', 'u4', 'u5'].map(id => ({ id, displayName: `User ${id}` })),
    ...bigMembers.map(id => ({ id, displayName: `Member ${id}` })),
  ],
  groups: [
    { id: 'g1', displayName: 'ai-one', members: ['u1', 'u2'] },
    { id: 'g2', displayName: 'ai-two', members: ['u3', 'u5'] },
    { id: 'g3', displayName: 'ai-big', members: bigMembers },
  ],
};

const byId = (items: JsonObject[], id: string): JsonObject[] => items.filter(i => i['id'] === id);

describe('delta queries', () => {
  let sim: EntraSimulator | undefined;
  const start = async (extra: EntraSimulatorOptions = {}) => {
    sim = await startSim({ scenario, ...extra });
    return { s: sim, bearer: await token(sim) };
  };
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('reports user changes with @removed changed/deleted after an initial round', async () => {
    const { s, bearer } = await start();
    const initial = await deltaRound(
      s,
      bearer,
      '/v1.0/users/delta?$select=displayName,accountEnabled',
    );
    expect(values(initial.pages)).toHaveLength(12);
    expect(values(initial.pages)[0]).toEqual({
      displayName: 'Member m0',
      accountEnabled: true,
      id: 'm0',
    });
    expect(initial.deltaLink.startsWith(`${s.url}/v1.0/users/delta?$deltatoken=`)).toBe(true);

    s.directory.disableUser('u4');
    s.directory.softDeleteUser('u5');
    s.directory.purgeUser('u1');
    s.directory.addUser({ id: 'u6', displayName: 'User u6' });
    const next = await deltaRound(s, bearer, initial.deltaLink);
    expect(values(next.pages)).toEqual([
      { id: 'u1', '@removed': { reason: 'deleted' } },
      { displayName: 'User u4', accountEnabled: false, id: 'u4' },
      { id: 'u5', '@removed': { reason: 'changed' } },
      { displayName: 'User u6', accountEnabled: true, id: 'u6' },
    ]);
    const quiet = await deltaRound(s, bearer, next.deltaLink);
    expect(values(quiet.pages)).toEqual([]);
  });

  it('tracks membership with members@delta and spreads a big group over pages', async () => {
    const { s, bearer } = await start({ paging: { deltaPageSize: 2, deltaMembersPerPage: 3 } });
    const initial = await deltaRound(s, bearer, '/v1.0/groups/delta');
    expect(initial.pages.length).toBeGreaterThan(2);
    const items = values(initial.pages);
    const big = byId(items, 'g3');
    expect(big.length).toBeGreaterThan(1); // the same group on several pages
    const merged = big.flatMap(g => idsOf(list(g['members@delta'])));
    expect(merged.sort()).toEqual(bigMembers);
    expect(byId(items, 'g1')[0]!['members@delta']).toEqual([
      { '@odata.type': '#microsoft.graph.user', id: 'u1' },
      { '@odata.type': '#microsoft.graph.user', id: 'u2' },
    ]);
    expect(
      initial.pages.slice(0, -1).every(p => p['@odata.nextLink'] && !p['@odata.deltaLink']),
    ).toBe(true);

    s.directory.addMember('g1', 'u3');
    s.directory.removeMember('g1', 'u2');
    s.directory.renameGroup('g2', 'ai-two-renamed');
    s.directory.softDeleteUser('u5');
    s.directory.nestGroup('g1', 'g2');
    const next = await deltaRound(s, bearer, initial.deltaLink);
    const changed = values(next.pages);
    expect(idsOf(changed)).toEqual(['g1', 'g2']);
    expect(changed[0]!['members@delta']).toEqual([
      { '@odata.type': '#microsoft.graph.group', id: 'g2' },
      { '@odata.type': '#microsoft.graph.user', id: 'u2', '@removed': { reason: 'deleted' } },
      { '@odata.type': '#microsoft.graph.user', id: 'u3' },
    ]);
    expect(changed[1]!).toMatchObject({
      displayName: 'ai-two-renamed',
      'members@delta': [
        { '@odata.type': '#microsoft.graph.user', id: 'u5', '@removed': { reason: 'deleted' } },
      ],
    });
  });

  it('reports deleted groups and honours $select without members', async () => {
    const { s, bearer } = await start();
    const initial = await deltaRound(s, bearer, '/v1.0/groups/delta?$select=displayName');
    expect(values(initial.pages).every(g => !('members@delta' in g))).toBe(true);
    s.directory.addMember('g1', 'u4'); // membership is not tracked with this $select
    s.directory.renameGroup('g3', 'ai-huge');
    s.directory.deleteGroup('g2');
    const next = await deltaRound(s, bearer, initial.deltaLink);
    expect(values(next.pages)).toEqual([
      { id: 'g2', '@removed': { reason: 'changed' } },
      { displayName: 'ai-huge', id: 'g3' },
    ]);
  });

  it('returns only changed properties with Prefer: return=minimal', async () => {
    const { s, bearer } = await start();
    const initial = await deltaRound(
      s,
      bearer,
      '/v1.0/users/delta?$select=displayName,mail,accountEnabled',
    );
    s.directory.disableUser('u2');
    const next = await graph(s, bearer, initial.deltaLink, {
      headers: { Prefer: 'return=minimal' },
    });
    expect(next.body.value).toEqual([{ accountEnabled: false, id: 'u2' }]);
    expect(next.headers.get('preference-applied')).toBe('return=minimal');
  });

  it('scopes to ids with $filter and starts from now with $deltatoken=latest', async () => {
    const { s, bearer } = await start();
    const scoped = await deltaRound(
      s,
      bearer,
      "/v1.0/users/delta?$filter=id eq 'u2' or id eq 'u3'",
    );
    expect(idsOf(values(scoped.pages))).toEqual(['u2', 'u3']);
    const latest = await graph(s, bearer, '/v1.0/groups/delta?$deltatoken=latest');
    expect(latest.body.value).toEqual([]);
    expect(latest.body['@odata.deltaLink']).toContain('$deltatoken=');
    s.directory.renameGroup('g1', 'ai-first');
    s.directory.updateUser('u4', { displayName: 'Out of scope' });
    const after = await deltaRound(s, bearer, latest.body['@odata.deltaLink'] as string);
    expect(values(after.pages).map(g => [str(g['id']), str(g['displayName'])])).toEqual([
      ['g1', 'ai-first'],
    ]);
    const scopedNext = await deltaRound(s, bearer, scoped.deltaLink);
    expect(values(scopedNext.pages)).toEqual([]);
  });

  it('answers an expired (7-day) delta token with syncStateNotFound', async () => {
    const { s, bearer } = await start({ now: Date.parse('2025-03-01T00:00:00Z') });
    const initial = await deltaRound(s, bearer, '/v1.0/users/delta');
    s.setNow(Date.parse('2025-03-07T23:00:00Z'));
    const stillValid = await graph(s, await token(s), initial.deltaLink);
    expect(stillValid.status).toBe(200);
    s.setNow(Date.parse('2025-03-08T00:00:01Z'));
    const fresh = await token(s); // the old access token expired with the clock move
    expect((await graph(s, bearer, '/v1.0/users')).status).toBe(401);
    const expired = await graph(s, fresh, initial.deltaLink);
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe('syncStateNotFound');
    expect(expired.body.error.message).toBe(
      'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
    );
  });

  it('answers 410 Gone with a Location to restart after a forced resync', async () => {
    const { s, bearer } = await start();
    const initial = await deltaRound(s, bearer, '/v1.0/groups/delta?$select=displayName,members');
    s.directory.forceResync();
    const gone = await graph(s, bearer, initial.deltaLink);
    expect(gone.status).toBe(410);
    expect(gone.body.error.code).toBe('resyncRequired');
    const location = gone.headers.get('location') ?? '';
    expect(location).toBe(`${s.url}/v1.0/groups/delta?$select=displayName,members&$deltatoken=`);
    const restarted = await deltaRound(s, bearer, location);
    expect(idsOf(values(restarted.pages))).toEqual(['g1', 'g2', 'g3']);
  });

  it('rejects a delta token of the other resource or a forged one', async () => {
    const { s, bearer } = await start();
    const users = await deltaRound(s, bearer, '/v1.0/users/delta');
    const token = new URL(users.deltaLink).searchParams.get('$deltatoken') ?? '';
    const crossed = await graph(
      s,
      bearer,
      `/v1.0/groups/delta?$deltatoken=${encodeURIComponent(token)}`,
    );
    expect(crossed.status).toBe(400);
    const forged = await graph(s, bearer, '/v1.0/users/delta?$deltatoken=abc.def');
    expect(forged.status).toBe(400);
    expect((await graph(s, bearer, '/v1.0/users/delta?$top=5')).status).toBe(501);
  });
});
