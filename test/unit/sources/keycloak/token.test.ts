import { describe, expect, it } from 'vitest';

import { createTokenProvider } from '../../../../src/sources/keycloak/token.js';

function provider(answer: () => Response, now: () => number = () => 0) {
  const requests: { url: string; init: RequestInit | undefined }[] = [];
  const tokens = createTokenProvider({
    fetch: (url, init) => {
      requests.push({ url: String(url), init });
      return Promise.resolve(answer());
    },
    url: 'http://kc.test',
    realm: 'acme',
    clientId: 'idp sync',
    clientSecret: 's:ecret',
    timeoutMs: 1000,
    now,
  });
  return { tokens, requests };
}

describe('keycloak token provider', () => {
  it('sends client credentials like the admin client: Basic secret, client_id in the form', async () => {
    const { tokens, requests } = provider(
      () => new Response('{"access_token":"a.b.c","expires_in":300}', { status: 200 }),
    );
    expect(await tokens.get()).toBe('a.b.c');
    expect(requests[0]?.url).toBe('http://kc.test/realms/acme/protocol/openid-connect/token');
    const headers = new Headers(requests[0]?.init?.headers);
    expect(headers.get('authorization')).toBe(
      `Basic ${Buffer.from('idp%20sync:s%3Aecret').toString('base64')}`,
    );
    expect(requests[0]?.init?.body).toBe('grant_type=client_credentials&client_id=idp+sync');
  });

  it('caches until near expiry, shares a request in flight, and forgets on invalidate', async () => {
    let clock = 0;
    const { tokens, requests } = provider(
      () => new Response('{"access_token":"t","expires_in":300}', { status: 200 }),
      () => clock,
    );
    await Promise.all([tokens.get(), tokens.get()]);
    expect(requests).toHaveLength(1);
    clock = 260_000;
    await tokens.get();
    expect(requests).toHaveLength(1);
    clock = 271_000;
    await tokens.get();
    expect(requests).toHaveLength(2);
    tokens.invalidate();
    await tokens.get();
    expect(tokens.requests).toBe(3);
  });

  it('turns a refusal into SOURCE_UNAUTHORIZED and a 5xx into SOURCE_UNAVAILABLE', async () => {
    const refused = provider(
      () =>
        new Response('{"error":"invalid_client","error_description":"Invalid client"}', {
          status: 401,
        }),
    );
    await expect(refused.tokens.get()).rejects.toMatchObject({
      code: 'SOURCE_UNAUTHORIZED',
      message: expect.stringMatching(/invalid_client: Invalid client.*KEYCLOAK_CLIENT_SECRET/),
    });
    const down = provider(() => new Response('', { status: 503 }));
    await expect(down.tokens.get()).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
  });
});
