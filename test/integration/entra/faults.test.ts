/**
 * The Entra source under bad weather: 429/503 storms (outer and inside `$batch`), bad or expired
 * credentials, a missing permission; and the two credentials it supports, priorities and usage.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Snapshot } from '../../../src/model.js';
import { readSnapshot } from '../../../src/reconcile/snapshot.js';
import { generateTenant } from '../../../src/sim/entra/synthetic.js';
import type { EntraFaultRule, EntraSimulator } from '../../../src/sim/entra/types.js';
import { createAppCertificate } from '../../../src/sim/tls/app-certificate.js';
import { entraSourceFor, membersByName, startEntra } from './setup.js';

/** A snapshot in a form two runs can be compared in. */
function comparable(snapshot: Snapshot) {
  return {
    complete: snapshot.complete,
    problems: snapshot.problems,
    users: [...snapshot.users.values()].sort((a, b) => a.externalId.localeCompare(b.externalId)),
    groups: snapshot.groups
      .map(group => ({ ...group, memberIds: [...group.memberIds].sort() }))
      .sort((a, b) => a.externalId.localeCompare(b.externalId)),
  };
}

const storm: EntraFaultRule[] = [
  // Every inner request of the first batches is throttled once, whatever else happens.
  {
    path: '/v1.0/groups/*',
    inBatch: true,
    status: 429,
    times: 30,
    headers: { 'Retry-After': '0' },
  },
  {
    path: '/v1.0/*',
    inBatch: true,
    status: 429,
    probability: 0.3,
    headers: { 'Retry-After': '0' },
  },
  {
    path: '/v1.0/*',
    inBatch: false,
    status: 429,
    probability: 0.3,
    headers: { 'Retry-After': '0' },
  },
  {
    path: '/v1.0/*',
    inBatch: false,
    status: 503,
    probability: 0.05,
    headers: { 'Retry-After': '0' },
  },
];

describe('Entra source under a 429 storm', () => {
  let sim: EntraSimulator;
  beforeAll(async () => {
    sim = await startEntra(
      generateTenant({ users: 400, groups: 70, memberships: 2_000, seed: 7 }),
      {
        seed: 11,
      },
    );
  });
  afterAll(() => sim.close());

  it('ends a full read and a delta round in the same snapshot as a calm run', async () => {
    const calm = entraSourceFor(sim);
    const calmFull = comparable(await readSnapshot(calm, 'full'));
    expect(calmFull.complete).toBe(true);
    expect(calmFull.groups.length).toBeGreaterThan(50);

    sim.setFaults(storm);
    const stormy = entraSourceFor(sim);
    expect(comparable(await readSnapshot(stormy, 'full'))).toEqual(calmFull);
    const usage = stormy.usage();
    expect(usage.throttled).toBeGreaterThan(30);
    // 70 groups need 4 batches; throttled inner requests were re-sent in further ones.
    expect(sim.calls()['POST /v1.0/$batch']).toBeGreaterThan(4 + 4);

    sim.clearFaults();
    const [first, second] = [...sim.directory.state.users.keys()];
    const group = [...sim.directory.state.groups.keys()][0] ?? '';
    sim.directory.disableUser(first ?? '');
    sim.directory.addMember(group, second ?? '');
    sim.directory.renameGroup(group, 'ai-team-renamed');
    sim.setFaults(storm);
    const stormyDelta = comparable(await readSnapshot(stormy, 'incremental'));
    sim.clearFaults();
    expect(stormyDelta).toEqual(comparable(await readSnapshot(entraSourceFor(sim), 'full')));
  });

  it('counts the resource units Graph charged, batched requests included', async () => {
    sim.clearFaults();
    sim.resetCounters();
    const source = entraSourceFor(sim);
    await source.prepare?.('full');
    expect(source.usage().resourceUnits).toBe(sim.resourceUnits().total);
    expect(source.usage()).toMatchObject({ throttled: 0, batchedRequests: 70 });
    expect(Object.keys(sim.priorities())).toEqual(['low']);
  });
});

describe('Entra source credentials', () => {
  let sim: EntraSimulator;
  let dir: string;
  beforeAll(async () => {
    sim = await startEntra({
      users: [{ id: 'ada', displayName: 'Ada', userPrincipalName: 'ada@contoso.test' }],
      groups: [{ id: 'g', displayName: 'ai-g', members: ['ada'] }],
    });
    dir = mkdtempSync(join(tmpdir(), 'entra-cert-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails a wrong client secret with a clear error, and the snapshot is incomplete', async () => {
    const source = entraSourceFor(sim, { clientSecret: 'wrong-secret-value' });
    await expect(source.prepare?.('full')).rejects.toMatchObject({ code: 'SOURCE_UNAUTHORIZED' });
    const snapshot = await readSnapshot(source, 'incremental');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.problems[0]).toMatch(/AADSTS7000215.*ENTRA_CLIENT_SECRET/);
    expect(snapshot.problems.join('\n')).not.toContain('wrong-secret-value');
  });

  it('says an expired secret must be renewed', async () => {
    sim.setFaults([
      {
        path: `/${sim.tenantId}/oauth2/v2.0/token`,
        status: 401,
        body: {
          error: 'invalid_client',
          error_description: `AADSTS7000222: The provided client secret keys for app '${sim.clientId}' are expired.`,
          error_codes: [7000222],
        },
      },
    ]);
    try {
      const snapshot = await readSnapshot(entraSourceFor(sim), 'full');
      expect(snapshot.complete).toBe(false);
      expect(snapshot.problems[0]).toMatch(
        /AADSTS7000222.*expired.*create a new one.*ENTRA_CLIENT_SECRET/,
      );
    } finally {
      sim.clearFaults();
    }
  });

  it('names the permission an app registration lacks', async () => {
    sim.registerApp({
      clientId: 'limited-app',
      clientSecret: 'limited-secret',
      roles: ['User.Read.All'],
    });
    const source = entraSourceFor(sim, { clientId: 'limited-app', clientSecret: 'limited-secret' });
    await expect(source.prepare?.('full')).rejects.toMatchObject({
      code: 'SOURCE_UNAUTHORIZED',
      message: expect.stringMatching(
        /403 Authorization_RequestDenied.*GroupMember\.Read\.All.*admin consent/,
      ),
    });
  });

  it('signs in with a certificate (PEM with its private key)', async () => {
    const cert = createAppCertificate('idp-sync');
    sim.registerApp({ clientId: 'cert-app', certificates: [cert.certPem] });
    const path = join(dir, 'entra.pem');
    writeFileSync(path, `${cert.certPem}\n${cert.privateKeyPem}`);
    const source = entraSourceFor(sim, {
      clientId: 'cert-app',
      clientSecret: undefined,
      certificatePath: path,
    });
    await source.prepare?.('full');
    expect(await membersByName(source)).toEqual({ 'ai-g': ['ada'] });
  });
});
