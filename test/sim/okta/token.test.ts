/**
 * The simulator's `/oauth2/v1/token`: client credentials with a private_key_jwt assertion it
 * verifies (the happy path through the SDK is in the source's auth tests).
 */
import { createPrivateKey, randomUUID, sign } from 'node:crypto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createOktaSimulator } from '../../../src/sim/okta/server.js';
import type { OktaSimulator } from '../../../src/sim/okta/simulator.js';
import { serviceAppKeys } from '../../integration/okta/setup.js';

const keys = serviceAppKeys('k1');

function assertion(claims: Record<string, unknown>, pem = keys.privatePem): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode({ alg: 'RS256', kid: 'k1' })}.${encode(claims)}`;
  return `${body}.${sign('sha256', Buffer.from(body), createPrivateKey(pem)).toString('base64url')}`;
}

describe('the token endpoint', () => {
  let sim: OktaSimulator;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (overrides: Record<string, unknown> = {}) => ({
    iss: '0oa-sync',
    sub: '0oa-sync',
    aud: `${sim.url}/oauth2/v1/token`,
    iat: now(),
    exp: now() + 300,
    jti: randomUUID(),
    ...overrides,
  });
  const tokenRequest = async (
    jwt: string,
    scope = 'okta.groups.read',
    grant = 'client_credentials',
  ) => {
    const response = await fetch(`${sim.url}/oauth2/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: 'ignored-proof' },
      body: new URLSearchParams({
        grant_type: grant,
        scope,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: jwt,
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeEach(async () => {
    sim = await createOktaSimulator({
      clients: [{ clientId: '0oa-sync', keys: [keys.publicJwk], scopes: ['okta.groups.read'] }],
      scenario: { groups: [{ id: 'g1', name: 'ai-one' }] },
    });
  });
  afterEach(async () => sim.close());

  it('issues a bearer token that reads within its scopes only', async () => {
    const { status, body } = await tokenRequest(assertion(claims()));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'okta.groups.read',
    });
    const headers = { authorization: `Bearer ${String(body['access_token'])}` };
    expect((await fetch(`${sim.url}/api/v1/groups`, { headers })).status).toBe(200);
    const users = await fetch(`${sim.url}/api/v1/users`, { headers });
    expect(users.status).toBe(403);
    expect(users.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect(await users.json()).toMatchObject({ errorCode: 'E0000006' });
  });

  it.each([
    [
      'a wrong audience',
      () => assertion(claims({ aud: 'https://elsewhere/oauth2/v1/token' })),
      'audience',
    ],
    ['an expired assertion', () => assertion(claims({ exp: now() - 10 })), 'expired'],
    ['an unknown client', () => assertion(claims({ iss: 'other', sub: 'other' })), "'client_id'"],
    ['another key', () => assertion(claims(), serviceAppKeys().privatePem), 'signature is invalid'],
  ])('refuses %s with invalid_client', async (_, make, reason) => {
    const { status, body } = await tokenRequest(make());
    expect(status).toBe(401);
    expect(body['error']).toBe('invalid_client');
    expect(String(body['error_description'])).toContain(reason);
  });

  it('refuses a replayed assertion, an ungranted scope and another grant type', async () => {
    const jwt = assertion(claims());
    expect((await tokenRequest(jwt)).status).toBe(200);
    expect((await tokenRequest(jwt)).body['error_description']).toContain('already been used');
    expect((await tokenRequest(assertion(claims()), 'okta.users.manage')).body['error']).toBe(
      'invalid_scope',
    );
    expect(
      (await tokenRequest(assertion(claims()), 'okta.groups.read', 'password')).body['error'],
    ).toBe('unsupported_grant_type');
  });
});
