import { X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { generateTenant } from '../../../src/sim/entra/synthetic.js';
import type { EntraSimulator, EntraSimulatorOptions } from '../../../src/sim/entra/types.js';
import { ensureTestCa } from '../../../src/sim/tls/test-ca.js';
import { graph, startSim, token, type Json } from './helpers.js';

describe('simulator knobs', () => {
  let sim: EntraSimulator | undefined;
  const start = async (extra: EntraSimulatorOptions = {}) => {
    sim = await startSim({ scenario: { users: [{ id: 'u1', displayName: 'Ada' }] }, ...extra });
    return { s: sim, bearer: await token(sim) };
  };
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('fires fault rules before auth, honouring afterCalls and times', async () => {
    const { s, bearer } = await start();
    s.setFaults([{ method: 'GET', path: '/v1.0/users*', status: 503, afterCalls: 1, times: 2 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await graph(s, bearer, '/v1.0/users')).status);
    }
    expect(statuses).toEqual([200, 503, 503, 200]);
    s.setFaults([{ path: '/v1.0/users', status: 500 }]);
    const unauthenticated = await graph(s, undefined, '/v1.0/users');
    expect(unauthenticated.status).toBe(500);
    expect(unauthenticated.body.error.code).toBe('generalException');
    s.clearFaults();
    expect(s.calls()['GET /v1.0/users']).toBe(5);
  });

  it('draws probabilistic faults from the seed, reproducibly', async () => {
    const run = async (seed: number) => {
      const { s, bearer } = await start({ seed });
      s.setFaults([{ path: '/v1.0/users', status: 503, probability: 0.5 }]);
      const out: number[] = [];
      for (let i = 0; i < 12; i += 1) {
        out.push((await graph(s, bearer, '/v1.0/users')).status);
      }
      await s.close();
      return out;
    };
    const a = await run(5);
    const b = await run(5);
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set([200, 503]));
  });

  it('answers token-endpoint faults in AAD shape', async () => {
    const { s } = await start();
    s.setFaults([{ path: `/${s.tenantId}/oauth2/v2.0/token`, status: 503, times: 1 }]);
    const response = await fetch(`${s.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      body: 'grant_type=client_credentials',
    });
    const body = (await response.json()) as Json;
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(body.error).toBe('temporarily_unavailable');
    expect(body.error_codes).toHaveLength(1);
  });

  it('holds responses for hangMs and adds fixed latency', async () => {
    const { s, bearer } = await start({ latencyMs: 50 });
    let started = Date.now();
    await graph(s, bearer, '/v1.0/users');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    s.setLatency(0);
    s.setFaults([{ path: '/v1.0/users', status: 504, hangMs: 200, times: 1 }]);
    started = Date.now();
    const hung = await graph(s, bearer, '/v1.0/users');
    expect(hung.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('serves /__sim control routes only when enabled', async () => {
    const { s, bearer } = await start({ control: true });
    const post = (path: string, body: unknown) =>
      fetch(`${s.url}${path}`, { method: 'POST', body: JSON.stringify(body) }).then(async r => ({
        status: r.status,
        body: (await r.json()) as Json,
      }));
    expect(
      (await post('/__sim/mutate', { op: 'addGroup', group: { id: 'g1', displayName: 'ai-x' } }))
        .status,
    ).toBe(200);
    expect(
      (await post('/__sim/mutate', { op: 'addMember', groupId: 'g1', memberId: 'u1' })).status,
    ).toBe(200);
    expect(
      (await post('/__sim/mutate', { op: 'addMember', groupId: 'g1', memberId: 'ghost' })).status,
    ).toBe(400);
    const state = (await (await fetch(`${s.url}/__sim/state`)).json()) as Json;
    expect(state.groups[0].members).toEqual([{ id: 'u1', type: 'user' }]);
    expect((await post('/__sim/faults', [{ path: '/v1.0/groups', status: 429 }])).body).toEqual({
      rules: 1,
    });
    expect((await graph(s, bearer, '/v1.0/groups')).status).toBe(429);
    await fetch(`${s.url}/__sim/faults`, { method: 'DELETE' });
    const clock = await post('/__sim/clock', { now: '2030-01-01T00:00:00Z' });
    expect(clock.body.now).toBe('2030-01-01T00:00:00.000Z');
    await post('/__sim/clock', { now: null });
    const calls = (await (await fetch(`${s.url}/__sim/calls`)).json()) as Json;
    expect(calls.calls['GET /v1.0/groups']).toBe(1);
    await s.close();
    const { s: closed } = await start();
    expect((await fetch(`${closed.url}/__sim/state`)).status).toBe(404);
  });

  it('loads scenarios strictly', async () => {
    const { s } = await start();
    expect(() => s.directory.addMember('nope', 'u1')).toThrow(/no live group/);
    await expect(
      startSim({ scenario: { groups: [{ displayName: 'g', members: ['ghost'] }] } }),
    ).rejects.toThrow(/ghost/);
  });

  it('generates the same synthetic tenant for the same seed', () => {
    const a = generateTenant({ users: 50, groups: 5, memberships: 120, seed: 3 });
    const b = generateTenant({ users: 50, groups: 5, memberships: 120, seed: 3 });
    expect(a).toEqual(b);
    const memberships = (a.groups ?? []).flatMap(g =>
      (g.members ?? []).filter(m => m !== undefined),
    );
    expect(memberships.length).toBeGreaterThanOrEqual(120);
    expect(generateTenant({ users: 50, groups: 5, memberships: 120, seed: 4 })).not.toEqual(a);
  });

  it('creates a reusable CA and server certificates for localhost and 127.0.0.1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'entra-ca-'));
    const first = ensureTestCa(dir);
    const second = ensureTestCa(dir);
    expect(second.caCert).toBe(first.caCert);
    const ca = new X509Certificate(first.caCert);
    const server = new X509Certificate(second.cert);
    expect(ca.ca).toBe(true);
    expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });
});
