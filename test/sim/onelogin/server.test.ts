/**
 * The OneLogin simulator on the wire: token endpoint, cursor paging headers, filters, error
 * envelopes and the hourly limit.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { createOneLoginSimulator } from '../../../src/sim/onelogin/server.js';
import type { OneLoginSimulator } from '../../../src/sim/onelogin/types.js';

let sim: OneLoginSimulator;
afterEach(() => sim.close());

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function start(options: Parameters<typeof createOneLoginSimulator>[0] = {}) {
  sim = await createOneLoginSimulator({ clients: [{ id: 'c', secret: 's' }], ...options });
  const res = await fetch(`${sim.url}/auth/oauth2/v2/token`, {
    method: 'POST',
    headers: { authorization: basic('c', 's'), 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  });
  const { access_token: token } = (await res.json()) as { access_token: string };
  return (path: string) =>
    fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

describe('onelogin simulator', () => {
  it('refuses bad credentials with the v1 envelope', async () => {
    await start();
    const res = await fetch(`${sim.url}/auth/oauth2/v2/token`, {
      method: 'POST',
      headers: { authorization: basic('c', 'wrong'), 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      status: { error: true, code: 401, type: 'Unauthorized', message: 'Authentication Failure' },
    });
  });

  it('pages users with After-Cursor until it is absent', async () => {
    const api = await start({ scenario: { generatedUsers: 250 } });
    let cursor: string | null = null;
    let pages = 0;
    let seen = 0;
    do {
      const res: Response = await api(
        `/api/2/users?limit=100${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      expect(res.headers.get('total-count')).toBe('250');
      seen += ((await res.json()) as unknown[]).length;
      cursor = res.headers.get('after-cursor');
      pages += 1;
    } while (cursor !== null);
    expect([pages, seen]).toEqual([3, 250]);
  });

  it('filters by updated_since and reports role_ids', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const api = await start({
      now: () => clock,
      scenario: {
        users: [
          { id: 1, username: 'a' },
          { id: 2, username: 'b' },
        ],
        roles: [{ id: 9, name: 'r', members: [2] }],
      },
    });
    clock += 60_000;
    sim.updateUser(2, { status: 3 });
    const changed = (await (
      await api('/api/2/users?updated_since=2026-01-01T00:00:30Z')
    ).json()) as { id: number; status: number; role_ids: number[] }[];
    expect(changed).toEqual([expect.objectContaining({ id: 2, status: 3, role_ids: [9] })]);
  });

  it('answers 404 and 401 with the v2 shape', async () => {
    const api = await start();
    const missing = await api('/api/2/users/42');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ statusCode: 404, name: 'NotFound' });
    const unauth = await fetch(`${sim.url}/api/2/users`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(unauth.status).toBe(401);
  });

  it('counts calls against the hour and answers 429 when the account is out', async () => {
    const clock = Date.parse('2026-01-01T10:59:00Z');
    const api = await start({ callsPerHour: 3, now: () => clock });
    const ok = await api('/api/2/roles');
    expect(ok.headers.get('x-ratelimit-limit')).toBe('3');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(ok.headers.get('x-ratelimit-reset')).toBe('60');
    await api('/api/2/roles');
    const limited = await api('/api/2/roles');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ statusCode: 429 });
  });
});
