import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateTenant } from '../../../src/sim/entra/synthetic.js';
import type { EntraSimulator } from '../../../src/sim/entra/types.js';
import { allPages, graph, idsOf, list, startSim, str, token, values } from './helpers.js';

describe('Graph list paging and query options', () => {
  let sim: EntraSimulator;
  let bearer: string;

  beforeAll(async () => {
    const scenario = generateTenant({ users: 5000, groups: 30, memberships: 300, seed: 7 });
    sim = await startSim({ scenario, throttle: { limit: null } });
    bearer = await token(sim);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('pages 5,000 users at $top=999 in 6 pages with absolute nextLinks', async () => {
    const pages = await allPages(sim, bearer, '/v1.0/users?$select=id,displayName&$top=999');
    expect(pages.map(p => list(p['value']).length)).toEqual([999, 999, 999, 999, 999, 5]);
    const links = pages.slice(0, -1).map(p => str(p['@odata.nextLink']));
    for (const link of links) {
      expect(link.startsWith(`${sim.url}/v1.0/users?`)).toBe(true);
      const url = new URL(link);
      expect(url.searchParams.get('$select')).toBe('id,displayName');
      expect(url.searchParams.get('$top')).toBe('999');
      expect(url.searchParams.get('$skiptoken')).toBeTruthy();
    }
    expect(pages.at(-1)?.['@odata.nextLink']).toBeUndefined();
    const ids = idsOf(values(pages));
    expect(new Set(ids).size).toBe(5000);
  });

  it('uses a default page size of 100', async () => {
    const page = await graph(sim, bearer, '/v1.0/users');
    expect(page.status).toBe(200);
    expect(page.body.value).toHaveLength(100);
    expect(page.body['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#users`);
  });

  it('refuses $top=1000 with Graph error body', async () => {
    const page = await graph(sim, bearer, '/v1.0/users?$top=1000');
    expect(page.status).toBe(400);
    expect(page.body.error.code).toBe('Request_UnsupportedQuery');
    expect(page.body.error.message).toBe(
      "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
    );
    expect(page.body.error.innerError['request-id']).toBe(page.headers.get('request-id'));
    expect(page.body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect((await graph(sim, bearer, '/v1.0/users?$top=0')).status).toBe(400);
  });

  it('returns accountEnabled only when selected', async () => {
    const plain = await graph(sim, bearer, '/v1.0/users?$top=3');
    for (const user of list(plain.body.value)) {
      expect(user).not.toHaveProperty('accountEnabled');
      expect(user).toHaveProperty('userPrincipalName');
      expect(user).toHaveProperty('businessPhones');
    }
    const selected = await graph(sim, bearer, '/v1.0/users?$top=3&$select=id,accountEnabled');
    for (const user of list(selected.body.value)) {
      expect(Object.keys(user).sort()).toEqual(['accountEnabled', 'id']);
    }
    const one = await graph(
      sim,
      bearer,
      `/v1.0/users/${selected.body.value[0].id}?$select=accountEnabled`,
    );
    expect(Object.keys(one.body as object)).toEqual(['@odata.context', 'accountEnabled']);
  });

  it('rejects unknown $select properties', async () => {
    const page = await graph(sim, bearer, '/v1.0/users?$select=id,shoeSize');
    expect(page.status).toBe(400);
    expect(page.body.error.message).toBe(
      "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.",
    );
  });

  it('filters accountEnabled eq false without advanced-query headers', async () => {
    const pages = await allPages(
      sim,
      bearer,
      '/v1.0/users?$filter=accountEnabled eq false&$select=id,accountEnabled&$top=999',
    );
    const users = values(pages);
    expect(users.length).toBeGreaterThan(0);
    expect(users.every(u => u.accountEnabled === false)).toBe(true);
  });

  it('needs ConsistencyLevel eventual and $count for advanced filters', async () => {
    const refused = await graph(sim, bearer, '/v1.0/users?$filter=accountEnabled ne true');
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('Request_UnsupportedQuery');
    const allowed = await graph(
      sim,
      bearer,
      '/v1.0/users?$filter=accountEnabled ne true&$count=true',
      {
        headers: { ConsistencyLevel: 'eventual' },
      },
    );
    expect(allowed.status).toBe(200);
    expect(typeof allowed.body['@odata.count']).toBe('number');
  });

  it("filters groups with startswith(displayName,'…') and $select", async () => {
    const page = await graph(
      sim,
      bearer,
      "/v1.0/groups?$filter=startswith(displayName,'AI-TEAM-000')&$select=id,displayName&$top=5",
    );
    expect(page.status).toBe(200);
    expect(page.body.value).toHaveLength(5);
    expect(page.body['@odata.nextLink']).toContain('$top=5');
    for (const g of list(page.body.value)) {
      expect(Object.keys(g).sort()).toEqual(['displayName', 'id']);
      expect(g.displayName).toMatch(/^ai-team-000/);
    }
    const next = await graph(sim, bearer, str(page.body['@odata.nextLink']));
    expect(next.body.value).toHaveLength(4);
  });

  it('rejects a tampered $skiptoken', async () => {
    const page = await graph(sim, bearer, '/v1.0/users?$top=2');
    const link = str(page.body['@odata.nextLink']).replace(/skiptoken=./, 'skiptoken=X');
    const bad = await graph(sim, bearer, link);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('Directory_ExpiredPageToken');
  });

  it('answers unknown segments and ids like Graph', async () => {
    const segment = await graph(sim, bearer, '/v1.0/users/abc/hobbies');
    expect(segment.status).toBe(400);
    expect(segment.body.error.message).toBe("Resource not found for the segment 'hobbies'.");
    const missing = await graph(sim, bearer, '/v1.0/users/00000000-0000-0000-0000-000000000001');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('Request_ResourceNotFound');
  });
});
