/**
 * Both auth modes against the simulator, through the real SDK: an SSWS API token, and an OAuth
 * service app whose private_key_jwt assertion the simulator verifies. Bad credentials fail with
 * a message naming what to check, and make the snapshot incomplete.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { readSnapshot } from '../../../src/reconcile/snapshot.js';
import type { ScenarioInput } from '../../../src/sim/okta/scenario.js';
import type { OktaSimulator } from '../../../src/sim/okta/simulator.js';
import { oktaSourceConfigSchema } from '../../../src/sources/okta/index.js';
import { collect, oktaSourceFor, serviceAppKeys, startOkta } from './setup.js';

const org: ScenarioInput = {
  users: [{ id: 'u-1', login: 'one@example.com' }],
  groups: [{ id: 'g-1', name: 'ai-one', members: ['u-1'] }],
  apps: [{ id: '0oa-app', label: 'LiteLLM', groups: ['g-1'] }],
};

describe('Okta auth modes', () => {
  let sim: OktaSimulator;
  afterEach(async () => sim.close());

  it('reads with an SSWS API token', async () => {
    sim = await startOkta(org);
    const groups = await collect(oktaSourceFor(sim).listGroups());
    expect(groups.map(g => g.memberIds)).toEqual([['u-1']]);
  });

  it.each([
    ['a PKCS#8 PEM', (k: ReturnType<typeof serviceAppKeys>) => k.privatePem],
    [
      'a PEM with literal \\n',
      (k: ReturnType<typeof serviceAppKeys>) => k.privatePem.replace(/\n/g, '\\n'),
    ],
    ['a JWK', (k: ReturnType<typeof serviceAppKeys>) => JSON.stringify(k.privateJwk)],
  ])('reads as an OAuth service app with %s', async (_, keyOf) => {
    const keys = serviceAppKeys();
    sim = await startOkta(org, {
      clients: [
        {
          clientId: '0oa-sync',
          keys: [keys.publicJwk],
          scopes: ['okta.users.read', 'okta.groups.read', 'okta.apps.read'],
        },
      ],
    });
    const source = oktaSourceFor(sim, {
      clientId: '0oa-sync',
      privateKey: keyOf(keys),
      keyId: keys.kid,
      appId: '0oa-app',
    });
    await source.prepare?.('full');
    expect((await collect(source.listGroups())).map(g => g.name)).toEqual(['ai-one']);
    expect(await source.readUser('one@example.com')).toMatchObject({ kind: 'found' });
    expect(source.report().calls['POST /oauth2/v1/token']).toBe(1);
  });

  it('names what to check when the assertion is signed with the wrong key', async () => {
    sim = await startOkta(org, {
      clients: [
        { clientId: '0oa-sync', keys: [serviceAppKeys().publicJwk], scopes: ['okta.groups.read'] },
      ],
    });
    const other = serviceAppKeys();
    const source = oktaSourceFor(sim, {
      clientId: '0oa-sync',
      privateKey: other.privatePem,
      keyId: other.kid,
    });
    await expect(source.prepare?.('full')).rejects.toMatchObject({
      code: 'SOURCE_UNAUTHORIZED',
      message: expect.stringContaining(
        'invalid_client: The client_assertion signature is invalid.',
      ),
    });
  });

  it('names the missing grant when the service app lacks okta.apps.read', async () => {
    const keys = serviceAppKeys();
    sim = await startOkta(org, {
      clients: [
        {
          clientId: '0oa-sync',
          keys: [keys.publicJwk],
          scopes: ['okta.users.read', 'okta.groups.read'],
        },
      ],
    });
    const source = oktaSourceFor(sim, {
      clientId: '0oa-sync',
      privateKey: keys.privatePem,
      appId: '0oa-app',
    });
    await expect(source.prepare?.('full')).rejects.toMatchObject({
      code: 'SOURCE_UNAUTHORIZED',
      message: expect.stringContaining('invalid_scope'),
    });
  });

  it('fails a bad API token clearly, and the snapshot is incomplete', async () => {
    sim = await startOkta(org);
    const source = oktaSourceFor(sim, { apiToken: 'revoked-token' });
    const snapshot = await readSnapshot(source, 'full');
    expect(snapshot.complete).toBe(false);
    expect(snapshot.groups).toEqual([]);
    expect(snapshot.problems[0]).toMatch(/401 E0000011: Invalid token provided.*OKTA_API_TOKEN/);
    // One refused call, not one per group or retry.
    expect(sim.calls().byEndpoint).toEqual({ 'GET /api/v1/groups': 1 });
  });

  it('refuses an EC key at configuration time (the SDK signs with RS256 only)', () => {
    const result = oktaSourceConfigSchema.safeParse({
      orgUrl: 'https://example.okta.com',
      clientId: '0oa-sync',
      privateKey: JSON.stringify({
        kty: 'EC',
        crv: 'P-256',
        x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
        y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI',
      }),
      scope: { all: true },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('expected an RSA private key (got ec)');
  });
});
