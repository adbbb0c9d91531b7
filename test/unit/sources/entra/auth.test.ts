import { describe, expect, it } from 'vitest';

import { SyncError } from '../../../../src/errors.js';
import { createTokenProvider } from '../../../../src/sources/entra/auth.js';
import { fakeFetch, json } from './fake-graph.js';

const config = {
  tenantId: 'contoso.onmicrosoft.com',
  clientId: 'client-1',
  clientSecret: 'super-secret-value',
  certificatePath: undefined,
  authorityHost: 'https://login.microsoftonline.com',
  graphBaseUrl: 'https://graph.microsoft.com',
};

const token = () =>
  json({
    token_type: 'Bearer',
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: 'opaque-token',
  });

describe('createTokenProvider', () => {
  it('gets one client-credentials token for Graph and serves it from MSAL’s cache', async () => {
    const fake = fakeFetch(() => token());
    const provider = createTokenProvider(config, fake.fetch);
    expect(await provider.getAccessToken()).toBe('opaque-token');
    expect(await provider.getAccessToken()).toBe('opaque-token');
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.url.href).toMatch(
      /^https:\/\/login\.microsoftonline\.com\/contoso\.onmicrosoft\.com\/oauth2\/v2\.0\/token/,
    );
    const form = new URLSearchParams(request?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('https://graph.microsoft.com/.default');
    expect(form.get('client_secret')).toBe('super-secret-value');
  });

  it('declares another login host through knownAuthorities and reads its metadata there', async () => {
    const host = 'https://login.sim.test:8443';
    const fake = fakeFetch(({ url }) =>
      url.pathname.endsWith('/.well-known/openid-configuration')
        ? json({
            issuer: `${host}/t1/v2.0`,
            token_endpoint: `${host}/t1/oauth2/v2.0/token`,
            authorization_endpoint: `${host}/t1/oauth2/v2.0/authorize`,
            jwks_uri: `${host}/t1/discovery/v2.0/keys`,
            end_session_endpoint: `${host}/t1/oauth2/v2.0/logout`,
          })
        : token(),
    );
    const provider = createTokenProvider(
      { ...config, tenantId: 't1', authorityHost: host },
      fake.fetch,
    );
    expect(await provider.getAccessToken()).toBe('opaque-token');
    expect(fake.requests.map(r => r.url.host)).toEqual([
      'login.sim.test:8443',
      'login.sim.test:8443',
    ]);
  });

  it('says an expired or wrong secret must be renewed, without repeating it', async () => {
    const fake = fakeFetch(() =>
      json(
        {
          error: 'invalid_client',
          error_description:
            "AADSTS7000222: The provided client secret keys for app 'client-1' are expired.\r\nTrace ID: x\r\nCorrelation ID: y",
          error_codes: [7000222],
        },
        401,
      ),
    );
    const error = await createTokenProvider(config, fake.fetch)
      .getAccessToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ code: 'SOURCE_UNAUTHORIZED', retryable: false, status: 401 });
    expect((error as Error).message).toMatch(/AADSTS7000222.*expired.*ENTRA_CLIENT_SECRET/);
    expect((error as Error).message).not.toContain('super-secret-value');
  });

  it('reports an unreachable login host as SOURCE_UNAVAILABLE', async () => {
    const fake = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    await expect(createTokenProvider(config, fake.fetch).getAccessToken()).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      retryable: true,
    });
  });

  it('reports an unreadable certificate file as a configuration error', async () => {
    const provider = createTokenProvider(
      { ...config, clientSecret: undefined, certificatePath: '/nonexistent/entra.pem' },
      fakeFetch(() => token()).fetch,
    );
    await expect(provider.getAccessToken()).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(
        'ENTRA_CLIENT_CERTIFICATE_PATH (/nonexistent/entra.pem): cannot read the file',
      ),
    });
  });
});
