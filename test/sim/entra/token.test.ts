import { createPrivateKey, randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signJwt } from '../../../src/sim/entra/auth/jwt.js';
import type { EntraSimulator } from '../../../src/sim/entra/types.js';
import { createAppCertificate, type AppCertificate } from '../../../src/sim/tls/app-certificate.js';
import { graph, startSim, token, type Json } from './helpers.js';

const CERT_APP = 'c0ffee00-0000-4000-8000-000000000001';
const NO_ROLES_APP = 'c0ffee00-0000-4000-8000-000000000002';

async function requestToken(
  sim: EntraSimulator,
  fields: Record<string, string>,
  tenant = sim.tenantId,
) {
  const response = await fetch(`${sim.url}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
      ...fields,
    }),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

function assertion(
  sim: EntraSimulator,
  cert: AppCertificate,
  claims: Record<string, unknown> = {},
  alg: 'PS256' | 'RS256' = 'PS256',
) {
  const now = Math.floor(sim.now() / 1000);
  const header =
    alg === 'PS256'
      ? { typ: 'JWT', 'x5t#S256': Buffer.from(cert.thumbprintSha256, 'hex').toString('base64url') }
      : { typ: 'JWT', x5t: Buffer.from(cert.thumbprint, 'hex').toString('base64url') };
  const payload = {
    aud: `${sim.authority}/oauth2/v2.0/token`,
    iss: CERT_APP,
    sub: CERT_APP,
    jti: randomUUID(),
    nbf: now,
    exp: now + 600,
    ...claims,
  };
  return signJwt(header, payload, createPrivateKey(cert.privateKeyPem), alg);
}

describe('token endpoint and Graph authentication', () => {
  let sim: EntraSimulator;
  let cert: AppCertificate;

  beforeAll(async () => {
    sim = await startSim({ scenario: { users: [{ id: 'u1', displayName: 'Ada' }] } });
    cert = createAppCertificate('cert-app');
    sim.registerApp({ clientId: CERT_APP, certificates: [cert.certPem] });
    sim.registerApp({ clientId: NO_ROLES_APP, clientSecret: 'no-roles-secret', roles: [] });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('issues a JWT-shaped Bearer token for the right secret', async () => {
    const { status, body } = await requestToken(sim, {
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    const claims = JSON.parse(
      Buffer.from(String(body.access_token).split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      appid: sim.clientId,
      tid: sim.tenantId,
      idtyp: 'app',
      ver: '1.0',
    });
    expect(claims.roles).toContain('User.Read.All');
  });

  it('refuses a wrong secret with AADSTS7000215', async () => {
    const { status, body } = await requestToken(sim, {
      client_id: sim.clientId,
      client_secret: 'wrong',
    });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(body.error_codes).toEqual([7000215]);
    expect(body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided\./);
    expect(body.error_description).toContain(`Trace ID: ${body.trace_id}`);
    expect(body).toHaveProperty('correlation_id');
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  });

  it('refuses unknown apps, tenants, non-.default scopes and missing credentials', async () => {
    expect(
      (await requestToken(sim, { client_id: 'nope', client_secret: 'x' })).body.error_codes,
    ).toEqual([700016]);
    expect(
      (
        await requestToken(
          sim,
          { client_id: sim.clientId, client_secret: sim.clientSecret },
          'other-tenant',
        )
      ).body.error_codes,
    ).toEqual([90002]);
    const scoped = await requestToken(sim, {
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
      scope: 'User.Read',
    });
    expect([scoped.status, scoped.body.error, scoped.body.error_codes]).toEqual([
      400,
      'invalid_scope',
      [1002012],
    ]);
    const none = await requestToken(sim, { client_id: sim.clientId });
    expect(none.body.error_codes).toEqual([7000218]);
    const byDomain = await requestToken(
      sim,
      { client_id: sim.clientId, client_secret: sim.clientSecret },
      'contoso.onmicrosoft.com',
    );
    expect(byDomain.status).toBe(200);
  });

  it('accepts client assertions signed with the registered certificate (PS256 and RS256)', async () => {
    for (const alg of ['PS256', 'RS256'] as const) {
      const { status, body } = await requestToken(sim, {
        client_id: CERT_APP,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion(sim, cert, {}, alg),
      });
      expect(status).toBe(200);
      expect(body.token_type).toBe('Bearer');
    }
  });

  it('refuses expired, foreign-key and wrong-audience assertions', async () => {
    const type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
    const now = Math.floor(sim.now() / 1000);
    const expired = await requestToken(sim, {
      client_id: CERT_APP,
      client_assertion_type: type,
      client_assertion: assertion(sim, cert, { nbf: now - 7200, exp: now - 3600 }),
    });
    expect([expired.status, expired.body.error, expired.body.error_codes]).toEqual([
      401,
      'invalid_client',
      [700024],
    ]);
    expect(expired.body.error_description).toMatch(
      /^AADSTS700024: Client assertion is not within its valid time range\./,
    );
    const other = createAppCertificate('unregistered');
    const foreign = await requestToken(sim, {
      client_id: CERT_APP,
      client_assertion_type: type,
      client_assertion: assertion(sim, other),
    });
    expect(foreign.body.error_codes).toEqual([700027]);
    const audience = await requestToken(sim, {
      client_id: CERT_APP,
      client_assertion_type: type,
      client_assertion: assertion(sim, cert, {
        aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token',
      }),
    });
    expect(audience.body.error_codes).toEqual([700023]);
  });

  it('serves OIDC metadata whose issuer shares the authority origin', async () => {
    const response = await fetch(`${sim.authority}/v2.0/.well-known/openid-configuration`);
    const body = (await response.json()) as Json;
    expect(body.token_endpoint).toBe(`${sim.authority}/oauth2/v2.0/token`);
    expect(body.issuer).toBe(`${sim.authority}/v2.0`);
    const keys = (await (await fetch(body.jwks_uri as string)).json()) as Json;
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig' });
    expect((await fetch(`${sim.url}/nobody/v2.0/.well-known/openid-configuration`)).status).toBe(
      400,
    );
  });

  it('answers Graph calls without, with a foreign or with an expired token with 401', async () => {
    const missing = await graph(sim, undefined, '/v1.0/users');
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'Access token is empty.',
    });
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect((await graph(sim, 'not-a-jwt', '/v1.0/users')).status).toBe(401);
    const other = await startSim();
    try {
      const foreign = await graph(sim, await token(other), '/v1.0/users');
      expect(foreign.status).toBe(401);
    } finally {
      await other.close();
    }
    const bearer = await token(sim);
    sim.setNow(sim.now() + 3600 * 1000);
    try {
      const expired = await graph(sim, bearer, '/v1.0/users');
      expect(expired.body.error.message).toBe('Access token has expired or is not yet valid.');
    } finally {
      sim.setNow(undefined);
    }
  });

  it('refuses calls the app has no permission for with 403', async () => {
    const { body } = await requestToken(sim, {
      client_id: NO_ROLES_APP,
      client_secret: 'no-roles-secret',
    });
    const denied = await graph(sim, String(body.access_token), '/v1.0/users');
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
  });
});
