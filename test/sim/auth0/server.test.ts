/**
 * The Auth0 simulator on the wire: token endpoint, paging schemes, the /users cap, export jobs,
 * error shapes and rate-limit headers.
 */
import { gunzipSync } from 'node:zlib';

import { afterEach, describe, expect, it } from 'vitest';

import { createAuth0Simulator } from '../../../src/sim/auth0/server.js';
import type { Auth0Simulator } from '../../../src/sim/auth0/types.js';

let sim: Auth0Simulator;
afterEach(() => sim.close());

async function start(options: Parameters<typeof createAuth0Simulator>[0] = {}) {
  sim = await createAuth0Simulator({ clients: [{ id: 'c', secret: 's' }], ...options });
  const res = await fetch(`${sim.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'c',
      client_secret: 's',
      audience: `https://${sim.domain}/api/v2/`,
    }).toString(),
  });
  const { access_token: token } = (await res.json()) as { access_token: string };
  return (path: string, init: RequestInit = {}) =>
    fetch(`${sim.url}/api/v2${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
}

describe('auth0 simulator', () => {
  it('refuses a wrong secret with the OAuth error shape', async () => {
    await start();
    const res = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'c',
        client_secret: 'x',
        audience: `https://${sim.domain}/api/v2/`,
      }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
  });

  it('answers an unknown token with 401 and the Management error shape', async () => {
    await start();
    const res = await fetch(`${sim.url}/api/v2/roles`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Invalid token',
    });
  });

  it('pages role members by checkpoint until `next` disappears', async () => {
    const api = await start({
      scenario: {
        generatedUsers: 250,
        roles: [
          {
            id: 'rol_1',
            name: 'r',
            members: Array.from(
              { length: 250 },
              (_, i) => `user${String(i + 1).padStart(5, '0')}@example.com`,
            ),
          },
        ],
      },
    });
    const seen: string[] = [];
    let from: string | undefined;
    let pages = 0;
    do {
      const body = (await (
        await api(`/roles/rol_1/users?take=100${from === undefined ? '' : `&from=${from}`}`)
      ).json()) as { users: { user_id: string }[]; next?: string };
      seen.push(...body.users.map(u => u.user_id));
      from = body.next;
      pages += 1;
    } while (from !== undefined);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(250);
  });

  it('refuses to page /users past 1,000 results but reports the total', async () => {
    const api = await start({ scenario: { generatedUsers: 1_200 } });
    const first = (await (await api('/users?per_page=100&page=0&include_totals=true')).json()) as {
      total: number;
    };
    expect(first.total).toBe(1_200);
    expect((await api('/users?per_page=100&page=9')).status).toBe(200);
    const beyond = await api('/users?per_page=100&page=10');
    expect(beyond.status).toBe(400);
    expect(await beyond.json()).toMatchObject({ statusCode: 400, errorCode: 'invalid_paging' });
  });

  it('runs a users export: pending → processing → completed, then a gzipped NDJSON file', async () => {
    const api = await start({ scenario: { generatedUsers: 1_200 }, exportPolls: 1 });
    const job = (await (
      await api('/jobs/users-exports', {
        method: 'POST',
        body: JSON.stringify({
          format: 'json',
          fields: [{ name: 'user_id' }, { name: 'blocked' }],
        }),
      })
    ).json()) as { id: string; status: string };
    expect(job.status).toBe('pending');
    expect(((await (await api(`/jobs/${job.id}`)).json()) as { status: string }).status).toBe(
      'processing',
    );
    const done = (await (await api(`/jobs/${job.id}`)).json()) as {
      status: string;
      location: string;
    };
    expect(done.status).toBe('completed');
    const file = Buffer.from(await (await fetch(done.location)).arrayBuffer());
    const lines = gunzipSync(file)
      .toString('utf8')
      .trim()
      .split('\n')
      .map(line => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1_200);
    expect(Object.keys(lines[9] ?? {}).sort()).toEqual(['blocked', 'user_id']);
  });

  it('sends x-ratelimit-* headers and 429s once the bucket is empty', async () => {
    let clock = 1_000_000;
    const api = await start({ rateLimit: { limit: 2, windowMs: 1_000 }, now: () => clock });
    const first = await api('/roles');
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset')).toBe('1001');
    await api('/roles');
    const limited = await api('/roles');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ statusCode: 429, errorCode: 'too_many_requests' });
    clock += 1_000;
    expect((await api('/roles')).status).toBe(200);
  });
});
