import { afterEach, describe, expect, it } from 'vitest';

import type { EntraScenario } from '../../../src/sim/entra/scenario.js';
import type { EntraSimulator, EntraSimulatorOptions } from '../../../src/sim/entra/types.js';
import { graph, list, startSim, token } from './helpers.js';

const scenario: EntraScenario = {
  users: Array.from({ length: 60 }, (_, i) => ({
    id: `u${String(i).padStart(2, '0')}`,
    displayName: `U${i}`,
  })),
  groups: [{ id: 'g1', displayName: 'ai-one', members: ['u00', 'u01'] }],
};

function batch(sim: EntraSimulator, bearer: string, requests: unknown[]) {
  return graph(sim, bearer, '/v1.0/$batch', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ requests }),
  });
}

describe('$batch and throttling', () => {
  let sim: EntraSimulator | undefined;
  const start = async (extra: EntraSimulatorOptions = {}) => {
    sim = await startSim({ scenario, ...extra });
    return { s: sim, bearer: await token(sim) };
  };
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('routes inner requests to the same handlers', async () => {
    const { s, bearer } = await start();
    const answer = await batch(s, bearer, [
      { id: '1', method: 'GET', url: '/users?$top=2&$select=id' },
      { id: '2', method: 'GET', url: 'groups/g1/members' },
      { id: '3', method: 'GET', url: '/users?$top=1000' },
      { id: '4', method: 'GET', url: '/users/nobody' },
    ]);
    expect(answer.status).toBe(200);
    const responses = list(answer.body.responses);
    expect(responses.map(r => [String(r['id']), Number(r['status'])])).toEqual([
      ['1', 200],
      ['2', 200],
      ['3', 400],
      ['4', 404],
    ]);
    expect(responses[0]!.body.value).toEqual([{ id: 'u00' }, { id: 'u01' }]);
    expect(responses[0]!.body['@odata.nextLink']).toMatch(new RegExp(`^${s.url}/v1.0/users\\?`));
    expect(responses[0]!.headers['Content-Type']).toContain('application/json');
    expect(responses[2]!.body.error.code).toBe('Request_UnsupportedQuery');
    expect(s.calls()['GET /v1.0/users']).toBe(2);
    expect(s.calls()['POST /v1.0/$batch']).toBe(1);
  });

  it('refuses more than 20 requests and duplicate ids with 400', async () => {
    const { s, bearer } = await start();
    const many = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: '/users',
    }));
    const tooMany = await batch(s, bearer, many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('BadRequest');
    expect((await batch(s, bearer, many.slice(0, 20))).status).toBe(200);
    const dup = await batch(s, bearer, [
      { id: 'a', method: 'GET', url: '/users' },
      { id: 'A', method: 'GET', url: '/groups' },
    ]);
    expect(dup.status).toBe(400);
  });

  it('lets an inner request be its own 429 with its own Retry-After', async () => {
    const { s, bearer } = await start({
      faults: [
        {
          path: '/v1.0/groups*',
          status: 429,
          inBatch: true,
          times: 1,
          headers: { 'retry-after': '7' },
        },
      ],
    });
    const answer = await batch(s, bearer, [
      { id: '1', method: 'GET', url: '/users?$top=1' },
      { id: '2', method: 'GET', url: '/groups' },
    ]);
    expect(answer.status).toBe(200);
    const [first, second] = list(answer.body.responses);
    expect(first!.status).toBe(200);
    expect(second!.status).toBe(429);
    expect(second!.headers['Retry-After']).toBe('7');
    expect(second!.body.error.code).toBe('TooManyRequests');
    // The rule is for inner requests only: a top-level call passes.
    expect((await graph(s, bearer, '/v1.0/groups')).status).toBe(200);
  });

  it('fails dependent requests with 424 when the dependency failed', async () => {
    const { s, bearer } = await start();
    const answer = await batch(s, bearer, [
      { id: '1', method: 'GET', url: '/users/nobody' },
      { id: '2', method: 'GET', url: '/users', dependsOn: ['1'] },
    ]);
    expect(list(answer.body.responses).map(r => Number(r['status']))).toEqual([404, 424]);
  });

  it('throttles by resource units with 429, Retry-After and Graph body', async () => {
    const { s, bearer } = await start({
      now: Date.parse('2025-01-01T00:00:03Z'),
      throttle: { limit: 10 },
    });
    for (let i = 0; i < 5; i += 1) {
      const ok = await graph(s, bearer, '/v1.0/users', {
        headers: { 'x-ms-throttle-priority': 'low' },
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ms-resource-unit')).toBe('2');
      if (i === 4) {
        expect(ok.headers.get('x-ms-throttle-limit-percentage')).toBe('1.00');
      }
    }
    const throttled = await graph(s, bearer, '/v1.0/users');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(throttled.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded');
    expect(throttled.headers.get('x-ms-throttle-scope')).toBe(
      `Tenant_Application/ReadWrite/${s.clientId}/${s.tenantId}`,
    );
    expect(throttled.body.error).toMatchObject({
      code: 'TooManyRequests',
      message: 'Please retry again later.',
      innerError: { code: '429', message: 'Please retry after', status: '429' },
    });
    // Inner batch requests are charged one by one.
    const inner = await batch(s, bearer, [{ id: '1', method: 'GET', url: '/groups' }]);
    expect(inner.body.responses[0]!.status).toBe(429);
    expect(inner.body.responses[0]!.headers['Retry-After']).toBe('7');
    s.setNow(Date.parse('2025-01-01T00:00:10Z')); // next 10-second window
    expect((await graph(s, bearer, '/v1.0/users')).status).toBe(200);
    expect(s.resourceUnits()).toEqual({ total: 12, byEndpoint: { 'GET /v1.0/users': 12 } });
    expect(s.priorities()).toMatchObject({ low: 5, normal: 3 });
  });

  it('prices requests with the documented costs and modifiers', async () => {
    const { s, bearer } = await start({ throttle: { limit: null } });
    const cost = async (path: string) =>
      (await graph(s, bearer, path)).headers.get('x-ms-resource-unit');
    expect(await cost('/v1.0/users')).toBe('2');
    expect(await cost('/v1.0/users?$select=id')).toBe('1');
    expect(await cost('/v1.0/groups/g1/members')).toBe('3');
    expect(await cost('/v1.0/groups/g1/members?$top=5')).toBe('2');
    expect(await cost('/v1.0/groups/g1/transitiveMembers/microsoft.graph.user')).toBe('5');
    expect(await cost('/v1.0/users/u00/transitiveMemberOf')).toBe('2');
    expect(await cost('/v1.0/groups')).toBe('1');
  });
});
