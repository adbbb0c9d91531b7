import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { EntraScenario } from '../../../src/sim/entra/scenario.js';
import type { EntraSimulator } from '../../../src/sim/entra/types.js';
import {
  allPages,
  graph,
  idsOf,
  list,
  startSim,
  str,
  token,
  values,
  type JsonObject,
} from './helpers.js';

/**
 * top ─┬─ left ─┬─ ada
 *      │        └─ shared ─ cy
 *      ├─ right ── shared          (diamond: shared reached twice)
 *      └─ bob
 * loop-a ─ loop-b ─ loop-a         (cycle), loop-b ─ dee
 */
const scenario: EntraScenario = {
  users: [
    { id: 'ada', displayName: 'Ada' },
    { id: 'bob', displayName: 'Bob' },
    { id: 'cy', displayName: 'Cy' },
    { id: 'dee', displayName: 'Dee' },
  ],
  groups: [
    { id: 'top', displayName: 'ai-top', members: ['left', 'right', 'bob'] },
    { id: 'left', displayName: 'ai-left', members: ['ada', 'shared'] },
    { id: 'right', displayName: 'ai-right', members: ['shared'] },
    { id: 'shared', displayName: 'ai-shared', members: ['cy'] },
    { id: 'loop-a', displayName: 'loop-a', members: ['loop-b'] },
    { id: 'loop-b', displayName: 'loop-b', members: ['loop-a', 'dee'] },
  ],
};

const ids = (pages: JsonObject[]): string[] => idsOf(values(pages));

describe('transitive membership', () => {
  let sim: EntraSimulator;
  let bearer: string;

  beforeAll(async () => {
    sim = await startSim({ scenario });
    bearer = await token(sim);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('flattens nesting and a diamond into unique users', async () => {
    const pages = await allPages(
      sim,
      bearer,
      '/v1.0/groups/top/transitiveMembers/microsoft.graph.user',
    );
    expect(ids(pages).sort()).toEqual(['ada', 'bob', 'cy']);
    expect(pages[0]?.['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#users`);
    expect(list(pages[0]?.['value'])[0]).not.toHaveProperty('@odata.type');
  });

  it('lists nested groups too without the cast, typed', async () => {
    const pages = await allPages(sim, bearer, '/v1.0/groups/top/transitiveMembers');
    const entries = values(pages);
    expect(entries.map(e => `${str(e['@odata.type'])}:${str(e['id'])}`).sort()).toEqual([
      '#microsoft.graph.group:left',
      '#microsoft.graph.group:right',
      '#microsoft.graph.group:shared',
      '#microsoft.graph.user:ada',
      '#microsoft.graph.user:bob',
      '#microsoft.graph.user:cy',
    ]);
  });

  it('terminates on a cycle and never lists the group itself', async () => {
    const pages = await allPages(sim, bearer, '/v1.0/groups/loop-a/transitiveMembers');
    expect(ids(pages).sort()).toEqual(['dee', 'loop-b']);
    const users = await allPages(
      sim,
      bearer,
      '/v1.0/groups/loop-b/transitiveMembers/microsoft.graph.user',
    );
    expect(ids(users)).toEqual(['dee']);
  });

  it('lists direct members with @odata.type and pages them', async () => {
    const first = await graph(sim, bearer, '/v1.0/groups/top/members?$top=2');
    expect(first.body['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#directoryObjects`);
    expect(list(first.body.value).map(m => str(m['@odata.type']))).toEqual([
      '#microsoft.graph.user',
      '#microsoft.graph.group',
    ]);
    const rest = await graph(sim, bearer, str(first.body['@odata.nextLink']));
    expect(idsOf(list(rest.body.value))).toEqual(['right']);
    const usersOnly = await graph(sim, bearer, '/v1.0/groups/top/members/microsoft.graph.user');
    expect(idsOf(list(usersOnly.body.value))).toEqual(['bob']);
  });

  it("walks a user's groups upwards", async () => {
    const pages = await allPages(
      sim,
      bearer,
      '/v1.0/users/cy/transitiveMemberOf/microsoft.graph.group?$select=id,displayName',
    );
    expect(ids(pages).sort()).toEqual(['left', 'right', 'shared', 'top']);
    const direct = await graph(sim, bearer, '/v1.0/users/cy/memberOf');
    expect(direct.body['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#directoryObjects`);
    expect(direct.body.value).toHaveLength(1);
    expect(direct.body.value[0]).toMatchObject({
      '@odata.type': '#microsoft.graph.group',
      id: 'shared',
      displayName: 'ai-shared',
    });
    const cyclic = await allPages(sim, bearer, '/v1.0/users/dee/transitiveMemberOf');
    expect(ids(cyclic).sort()).toEqual(['loop-a', 'loop-b']);
  });

  it('follows membership changes immediately', async () => {
    sim.directory.removeMember('right', 'shared');
    sim.directory.softDeleteUser('ada');
    const pages = await allPages(
      sim,
      bearer,
      '/v1.0/groups/top/transitiveMembers/microsoft.graph.user',
    );
    expect(ids(pages).sort()).toEqual(['bob', 'cy']);
    const deleted = await graph(sim, bearer, '/v1.0/directory/deletedItems/microsoft.graph.user');
    expect(idsOf(list(deleted.body.value))).toEqual(['ada']);
    expect(list(deleted.body.value)[0]?.['deletedDateTime']).toEqual(expect.any(String));
    sim.directory.restoreUser('ada');
    const again = await allPages(sim, bearer, '/v1.0/groups/left/members');
    expect(ids(again).sort()).toEqual(['ada', 'shared']);
  });
});
