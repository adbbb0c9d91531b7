import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { EntraScenario } from '../../../src/sim/entra/scenario.js';
import type { EntraSimulator } from '../../../src/sim/entra/types.js';
import { allPages, graph, list, startSim, str, token, values, type JsonObject } from './helpers.js';

const ROLE = '11111111-2222-4333-8444-555555555555';
const scenario: EntraScenario = {
  users: Array.from({ length: 5 }, (_, i) => ({ id: `u${i}`, displayName: `User ${i}` })),
  groups: [
    { id: 'g-admins', displayName: 'ai-admins', members: ['u0'] },
    { id: 'g-users', displayName: 'ai-users', members: ['u1', 'u2'] },
  ],
  servicePrincipals: [
    {
      id: 'sp-litellm',
      appId: 'app-litellm',
      displayName: 'LiteLLM',
      appRoles: [{ id: ROLE, value: 'proxy_admin', displayName: 'Proxy admin' }],
      assignments: [
        { principalId: 'g-admins', appRoleId: ROLE },
        { principalId: 'g-users' },
        { principalId: 'u3' },
      ],
    },
  ],
};

describe('service principals and app role assignments', () => {
  let sim: EntraSimulator;
  let bearer: string;

  beforeAll(async () => {
    sim = await startSim({ scenario, publicGraphOrigin: 'https://graph.microsoft.com' });
    bearer = await token(sim);
  });
  afterAll(async () => {
    await sim.close();
  });

  it('pages appRoleAssignedTo with links on the public Graph origin', async () => {
    const first = await graph(
      sim,
      bearer,
      '/v1.0/servicePrincipals/sp-litellm/appRoleAssignedTo?$top=2',
    );
    expect(first.status).toBe(200);
    const next = str(first.body['@odata.nextLink']);
    expect(
      next.startsWith(
        'https://graph.microsoft.com/v1.0/servicePrincipals/sp-litellm/appRoleAssignedTo?',
      ),
    ).toBe(true);
    // Follow the links like a host-rewriting client would (reference §B recipe 1).
    const pages = [first.body as JsonObject];
    for (let link = next; link;) {
      const page = await graph(sim, bearer, link.replace('https://graph.microsoft.com', sim.url));
      pages.push(page.body as JsonObject);
      link = page.body['@odata.nextLink'] as string;
    }
    const assignments = values(pages);
    expect(assignments).toHaveLength(3);
    expect(
      assignments
        .map(a => [str(a['principalId']), str(a['principalType']), str(a['appRoleId'])])
        .sort(),
    ).toEqual([
      ['g-admins', 'Group', ROLE],
      ['g-users', 'Group', '00000000-0000-0000-0000-000000000000'],
      ['u3', 'User', '00000000-0000-0000-0000-000000000000'],
    ]);
    expect(assignments[0]).toMatchObject({
      resourceId: 'sp-litellm',
      resourceDisplayName: 'LiteLLM',
    });
  });

  it('finds the service principal by appId and hides assignments of deleted principals', async () => {
    const found = await graph(
      sim,
      bearer,
      "/v1.0/servicePrincipals?$filter=appId eq 'app-litellm'",
    );
    expect(list(found.body.value).map(sp => str(sp['id']))).toEqual(['sp-litellm']);
    expect(list(found.body.value)[0]?.['appRoles']).toHaveLength(1);
    sim.directory.softDeleteUser('u3');
    const pages = await allPages(
      sim,
      bearer,
      '/v1.0/servicePrincipals/sp-litellm/appRoleAssignedTo',
    );
    expect(
      values(pages)
        .map(a => str(a['principalId']))
        .sort(),
    ).toEqual(['g-admins', 'g-users']);
    sim.directory.restoreUser('u3');
    expect(
      (await graph(sim, bearer, '/v1.0/servicePrincipals/nope/appRoleAssignedTo')).status,
    ).toBe(404);
  });
});
