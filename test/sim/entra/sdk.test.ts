/**
 * The real SDKs, unmodified, against the HTTPS simulator: MSAL Node with `knownAuthorities`
 * (secret and certificate credentials) and graph-client with `baseUrl` + `customHosts`.
 *
 * @see /work/shared/reference/idp-apis.md §0 and §B ("HTTPS simulator" recipes)
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client, PageIterator, type GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { EntraSimulator } from '../../../src/sim/entra/types.js';
import { createAppCertificate } from '../../../src/sim/tls/app-certificate.js';
import { list, startSim, str, type Json, type JsonObject } from './helpers.js';

const GRAPH_SCOPE = ['https://graph.microsoft.com/.default'];
const CERT_APP = 'c0ffee00-0000-4000-8000-0000000000aa';

describe('real MSAL Node and graph-client against the simulator', () => {
  let sim: EntraSimulator;
  let host: string;

  beforeAll(async () => {
    sim = await startSim({
      scenario: {
        users: Array.from({ length: 7 }, (_, i) => ({ id: `u${i}`, displayName: `User ${i}` })),
        groups: [{ id: 'g1', displayName: 'ai-one', members: ['u1', 'u2'] }],
      },
    });
    host = new URL(sim.url).host;
  });
  afterAll(async () => {
    await sim.close();
  });

  const msal = (auth: Record<string, unknown>) =>
    new ConfidentialClientApplication({
      auth: { clientId: sim.clientId, authority: sim.authority, knownAuthorities: [host], ...auth },
    });

  it('acquires a token with a client secret, using discovery and no instance-discovery call', async () => {
    sim.resetCounters();
    const cca = msal({ clientSecret: sim.clientSecret });
    const result = await cca.acquireTokenByClientCredential({ scopes: GRAPH_SCOPE });
    expect(result?.accessToken.split('.')).toHaveLength(3);
    expect(result?.tokenType).toBe('Bearer');
    const again = await cca.acquireTokenByClientCredential({ scopes: GRAPH_SCOPE });
    expect(again?.fromCache).toBe(true);
    expect(sim.calls()).toEqual({
      'GET /{tenant}/v2.0/.well-known/openid-configuration': 1,
      'POST /{tenant}/oauth2/v2.0/token': 1,
    });
  });

  it('surfaces AADSTS7000215 for a wrong secret as an MSAL ServerError', async () => {
    const cca = msal({ clientSecret: 'definitely-wrong' });
    const error = (await cca
      .acquireTokenByClientCredential({ scopes: GRAPH_SCOPE })
      .catch((e: unknown) => e)) as Json;
    expect(error.errorCode).toBe('invalid_client');
    expect(String(error.errorMessage)).toContain('AADSTS7000215');
  });

  it('acquires a token with a certificate (client assertion, x5t#S256)', async () => {
    const cert = createAppCertificate('msal-cert-app');
    sim.registerApp({ clientId: CERT_APP, certificates: [cert.certPem] });
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: CERT_APP,
        authority: sim.authority,
        knownAuthorities: [host],
        clientCertificate: {
          thumbprintSha256: cert.thumbprintSha256,
          privateKey: cert.privateKeyPem,
        },
      },
    });
    const result = await cca.acquireTokenByClientCredential({ scopes: GRAPH_SCOPE });
    const claims = JSON.parse(
      Buffer.from(result?.accessToken.split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(claims).toMatchObject({ appid: CERT_APP, appidacr: '2' });
  });

  it('reads pages and a delta round through graph-client with customHosts', async () => {
    const cca = msal({ clientSecret: sim.clientSecret });
    const client = Client.initWithMiddleware({
      authProvider: {
        getAccessToken: async () =>
          (await cca.acquireTokenByClientCredential({ scopes: GRAPH_SCOPE }))?.accessToken ?? '',
      },
      baseUrl: `${sim.url}/`,
      customHosts: new Set(['127.0.0.1']),
    });
    const first: JsonObject = await client.api('/users').select(['id', 'displayName']).top(3).get();
    expect(first.value).toHaveLength(3);
    expect(first['@odata.nextLink']).toMatch(new RegExp(`^${sim.url}/v1.0/users\\?`));
    const ids: string[] = [];
    await new PageIterator(client, { value: list(first['value']), ...first }, (user: Json) => {
      ids.push(str(user.id));
      return true;
    }).iterate();
    expect(ids).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6']);

    const deltaFirst: JsonObject = await client.api('/groups/delta').get();
    const groups: JsonObject[] = [];
    const iterator = new PageIterator(
      client,
      { value: list(deltaFirst['value']), ...deltaFirst },
      (g: Json) => {
        groups.push(g as JsonObject);
        return true;
      },
    );
    await iterator.iterate();
    expect(groups.map(g => str(g['id']))).toEqual(['g1']);
    expect(iterator.getDeltaLink()).toContain('$deltatoken=');

    const missing = (await client
      .api('/users/nobody')
      .get()
      .catch((e: unknown) => e)) as GraphError;
    expect([missing.statusCode, missing.code]).toEqual([404, 'Request_ResourceNotFound']);
  });

  it("retries a 429 with Retry-After: 0 through graph-client's RetryHandler", async () => {
    const cca = msal({ clientSecret: sim.clientSecret });
    const client = Client.initWithMiddleware({
      authProvider: {
        getAccessToken: async () =>
          (await cca.acquireTokenByClientCredential({ scopes: GRAPH_SCOPE }))?.accessToken ?? '',
      },
      baseUrl: `${sim.url}/`,
      customHosts: new Set(['127.0.0.1']),
    });
    sim.setFaults([
      { path: '/v1.0/groups', status: 429, times: 1, headers: { 'retry-after': '0' } },
    ]);
    sim.resetCounters();
    try {
      const groups: JsonObject = await client.api('/groups').get();
      expect(groups['value']).toHaveLength(1);
      expect(sim.calls()['GET /v1.0/groups']).toBe(2);
    } finally {
      sim.clearFaults();
    }
  });
});
