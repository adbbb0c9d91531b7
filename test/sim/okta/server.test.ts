/**
 * The Okta simulator over HTTP: paging, headers, error shapes, status semantics and the
 * management writes, checked with plain requests (the SDK is exercised in the source tests).
 */
import { request as httpRequest } from 'node:http';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createVirtualClock } from '../../../src/sim/okta/clock.js';
import { createOktaSimulator } from '../../../src/sim/okta/server.js';
import type { OktaSimulator } from '../../../src/sim/okta/simulator.js';

const token = '00test-token';
const auth = { authorization: `SSWS ${token}`, accept: 'application/json' };

const scenario = {
  users: [
    { id: 'u1', login: 'one@example.com' },
    { id: 'u2', login: 'two@example.com' },
    { id: 'u3', login: 'three@example.com', status: 'DEPROVISIONED' as const },
    { id: 'u4', login: 'four@example.com', status: 'SUSPENDED' as const },
  ],
  groups: [
    { id: 'g1', name: 'ai-one', members: ['u1', 'u2', 'u3', 'u4'] },
    { id: 'g2', name: 'ad-import', type: 'APP_GROUP' as const, members: ['u1'] },
  ],
};

/** GET with raw headers (fetch would join repeated `Link` headers into one). */
function rawGet(url: string): Promise<{ status: number; rawHeaders: string[]; body: unknown }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers: auth }, res => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          rawHeaders: res.rawHeaders,
          body: JSON.parse(text),
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

const links = (rawHeaders: string[]) =>
  rawHeaders.filter((_, i) => i % 2 === 1 && rawHeaders[i - 1]?.toLowerCase() === 'link');

describe('Okta simulator', () => {
  let sim: OktaSimulator;
  const api = async <T = Record<string, unknown>>(path: string, init: RequestInit = {}) => {
    const response = await fetch(`${sim.url}${path}`, {
      ...init,
      headers: { ...auth, ...init.headers },
    });
    const text = await response.text();
    return { response, body: (text === '' ? undefined : JSON.parse(text)) as T };
  };
  beforeEach(async () => {
    sim = await createOktaSimulator({ apiTokens: [token], scenario, control: true });
  });
  afterEach(async () => sim.close());

  it('pages with one absolute Link header per relation until no rel="next"', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${sim.url}/api/v1/groups/g1/users?limit=2`;
    let pages = 0;
    while (url !== undefined) {
      const { rawHeaders, body } = await rawGet(url);
      const values = links(rawHeaders);
      expect(values[0]).toMatch(
        new RegExp(`^<${sim.url}/api/v1/groups/g1/users\\?[^>]*>; rel="self"$`),
      );
      seen.push(...(body as { id: string }[]).map(u => u.id));
      url = values.find(v => v.endsWith('rel="next"'))?.match(/^<([^>]+)>/)?.[1];
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual(['u1', 'u2', 'u3', 'u4']);
  });

  it('sends Date and X-Rate-Limit-* on every answer, errors included', async () => {
    for (const [path, limit] of [
      ['/api/v1/groups', '600'],
      ['/api/v1/users/nobody', '1000'], // GET /api/v1/users/{idOrLogin} has its own bucket
    ]) {
      const { response } = await api(path as string);
      expect(Date.parse(response.headers.get('date') ?? '')).not.toBeNaN();
      expect(response.headers.get('x-rate-limit-limit')).toBe(limit);
      expect(Number(response.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
      expect(response.headers.get('x-okta-request-id')).toBeTruthy();
    }
  });

  it('omits DEPROVISIONED users from an unfiltered list but not from a filter', async () => {
    const ids = (body: { id: string }[]) => body.map(u => u.id);
    expect(ids((await api<{ id: string }[]>('/api/v1/users')).body)).toEqual(['u1', 'u2', 'u4']);
    const filter = encodeURIComponent('status eq "DEPROVISIONED"');
    expect(ids((await api<{ id: string }[]>(`/api/v1/users?filter=${filter}`)).body)).toEqual([
      'u3',
    ]);
    const since = encodeURIComponent('lastUpdated gt "2000-01-01T00:00:00.000Z"');
    expect(ids((await api<{ id: string }[]>(`/api/v1/users?filter=${since}`)).body)).toEqual([
      'u1',
      'u2',
      'u3',
      'u4',
    ]);
  });

  it("answers Okta's error shape", async () => {
    const notFound = await api('/api/v1/users/nobody');
    expect(notFound.response.status).toBe(404);
    expect(notFound.body).toEqual({
      errorCode: 'E0000007',
      errorSummary: 'Not found: Resource not found: nobody (User)',
      errorLink: 'E0000007',
      errorId: expect.stringMatching(/^oae/),
      errorCauses: [],
    });
    const badToken = await api('/api/v1/groups', { headers: { authorization: 'SSWS wrong' } });
    expect(badToken.response.status).toBe(401);
    expect(badToken.body).toMatchObject({
      errorCode: 'E0000011',
      errorSummary: 'Invalid token provided',
    });
    const badFilter = await api(`/api/v1/groups?filter=${encodeURIComponent('name eq "x"')}`);
    expect(badFilter.response.status).toBe(400);
    expect(badFilter.body).toMatchObject({
      errorCode: 'E0000031',
      errorCauses: [{ errorSummary: expect.any(String) }],
    });
  });

  it('answers 429 E0000047 over a bucket limit, with the reset to wait for', async () => {
    const clock = createVirtualClock();
    await sim.close();
    sim = await createOktaSimulator({
      apiTokens: [token],
      scenario,
      now: clock.now,
      rateLimits: { groups: 2 },
    });
    await api('/api/v1/groups');
    await api('/api/v1/groups/g1/users'); // the same bucket
    const refused = await api('/api/v1/groups');
    expect(refused.response.status).toBe(429);
    expect(refused.body).toMatchObject({
      errorCode: 'E0000047',
      errorSummary: 'API call exceeded rate limit due to too many requests.',
    });
    expect(refused.response.headers.get('x-rate-limit-remaining')).toBe('0');
    const reset = Number(refused.response.headers.get('x-rate-limit-reset')) * 1000;
    const date = Date.parse(refused.response.headers.get('date') ?? '');
    expect(reset - date).toBe(60_000); // what the SDK's 429 retry computes from
    expect((await api('/api/v1/groups/g1')).response.status).toBe(200); // another bucket
    clock.advance(60_000);
    expect((await api('/api/v1/groups')).response.status).toBe(200);
    expect(sim.calls().throttled).toEqual({ 'GET /api/v1/groups': 1 });
  });

  it('keeps Okta timestamp semantics through the management writes', async () => {
    const clock = createVirtualClock();
    await sim.close();
    sim = await createOktaSimulator({ apiTokens: [token], scenario, now: clock.now });
    const created = '2026-01-05T09:00:00.000Z';
    clock.advance(5_000);
    expect((await api('/api/v1/groups/g1/users/u2', { method: 'DELETE' })).response.status).toBe(
      204,
    );
    const group = (await api('/api/v1/groups/g1')).body;
    expect(group).toMatchObject({
      lastUpdated: created,
      lastMembershipUpdated: '2026-01-05T09:00:05.000Z',
    });
    expect((await api('/api/v1/users/u2')).body.lastUpdated).toBe(created);

    clock.advance(5_000);
    await api('/api/v1/users/u1/lifecycle/suspend', { method: 'POST' });
    expect((await api('/api/v1/users/u1')).body).toMatchObject({
      status: 'SUSPENDED',
      lastUpdated: '2026-01-05T09:00:10.000Z',
      statusChanged: '2026-01-05T09:00:10.000Z',
    });
    const rename = await api('/api/v1/groups/g1', {
      method: 'PUT',
      body: JSON.stringify({ profile: { name: 'ai-renamed' } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(rename.body).toMatchObject({
      profile: { name: 'ai-renamed' },
      lastUpdated: '2026-01-05T09:00:10.000Z',
    });
    expect((await api('/api/v1/groups/g2/users/u2', { method: 'PUT' })).response.status).toBe(403);
  });

  it('deactivates on the first DELETE, keeping memberships, and deletes on the second', async () => {
    await api('/api/v1/users/u2', { method: 'DELETE' });
    expect((await api('/api/v1/users/u2')).body.status).toBe('DEPROVISIONED');
    expect((await api<{ id: string }[]>('/api/v1/groups/g1/users')).body.map(u => u.id)).toContain(
      'u2',
    );
    await api('/api/v1/users/u2', { method: 'DELETE' });
    expect((await api('/api/v1/users/u2')).response.status).toBe(404);
    expect(
      (await api<{ id: string }[]>('/api/v1/groups/g1/users')).body.map(u => u.id),
    ).not.toContain('u2');
  });

  it("lists a user's groups with Everyone, and finds a user by login in any case", async () => {
    const groups = (await api<unknown>('/api/v1/users/u1/groups')).body as {
      profile: { name: string };
      type: string;
    }[];
    expect(groups.map(g => [g.profile.name, g.type]).sort()).toEqual([
      ['Everyone', 'BUILT_IN'],
      ['ad-import', 'APP_GROUP'],
      ['ai-one', 'OKTA_GROUP'],
    ]);
    expect((await api(`/api/v1/users/${encodeURIComponent('ONE@example.com')}`)).body.id).toBe(
      'u1',
    );
  });

  it('injects faults before auth and handlers, and is driven through /__sim/*', async () => {
    await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify([{ path: '/api/v1/groups', status: 503, times: 1 }]),
    });
    const faulted = await api('/api/v1/groups', { headers: { authorization: 'SSWS wrong' } });
    expect(faulted.response.status).toBe(503);
    expect(faulted.body).toMatchObject({ errorCode: 'E0000009' });
    expect((await api('/api/v1/groups')).response.status).toBe(200);
    const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as { users: unknown[] };
    expect(state.users).toHaveLength(4);
  });

  it('answers 429 past the concurrency limit', async () => {
    await sim.close();
    sim = await createOktaSimulator({
      apiTokens: [token],
      scenario,
      maxConcurrent: 1,
      latencyMs: 50,
    });
    const statuses = await Promise.all([api('/api/v1/groups'), api('/api/v1/groups')]).then(r =>
      r.map(x => x.response.status).sort(),
    );
    expect(statuses).toEqual([200, 429]);
  });
});
