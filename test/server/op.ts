/**
 * A real OpenID Provider for the server tests: `oidc-provider` in-process on a free port, with
 * freshly generated RS256 keys, one confidential client, and an interaction endpoint that signs
 * in whichever account the test names (no HTML, no browser).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import Provider from 'oidc-provider';

export type TestOp = {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The account the next interaction signs in. */
  account: string;
  /** Signs claims with the provider's own key (for bearer-token tests). */
  sign(
    claims: JWTPayload,
    options?: { kid?: string; alg?: string; key?: CryptoKey },
  ): Promise<string>;
  /** A key the provider does not publish. */
  readonly strangerKey: CryptoKey;
  close(): Promise<void>;
};

export async function startTestOp(redirectUri: string): Promise<TestOp> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const stranger = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'idp-sync-test';
  const clientSecret = 'test-client-secret-0123456789abcdef';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-signing-key'] },
    claims: { openid: ['sub'], email: ['email'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@example.com` }),
    }),
    features: { devInteractions: { enabled: false } },
    ttl: {
      Grant: 600,
      AccessToken: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
      AuthorizationCode: 60,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  const op: TestOp = {
    issuer,
    clientId,
    clientSecret,
    account: 'alice',
    strangerKey: stranger.privateKey,
    sign: async (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'test-key' })
        .sign(options.key ?? privateKey),
    close: async () => {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url?.startsWith('/interaction/') === true) {
      void finishInteraction(provider, req, res, op.account);
      return;
    }
    void callback(req, res);
  });
  return op;
}

/** Signs in `account` and grants what the client asked for. */
async function finishInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  account: string,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const grant = new provider.Grant({
    accountId: details.session?.accountId ?? account,
    clientId: String(details.params['client_id']),
  });
  grant.addOIDCScope(String(details.params['scope']));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

/** A cookie jar per origin, enough to drive a redirect chain by hand. */
export function cookieJar() {
  const jars = new Map<string, Map<string, string>>();
  return {
    header(url: string): string {
      return [...(jars.get(new URL(url).origin) ?? new Map<string, string>())]
        .map(([k, v]) => `${k}=${v}`)
        .join('; ');
    },
    store(url: string, response: Response): void {
      const jar = jars.get(new URL(url).origin) ?? new Map<string, string>();
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair?.indexOf('=') ?? -1;
        if (pair !== undefined && at > 0) {
          jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
        }
      }
      jars.set(new URL(url).origin, jar);
    },
  };
}

/**
 * Follows redirects by hand from `start` (carrying cookies per origin) until a Location starts
 * with `until`. Returns every hop's URL and status, and the final Location.
 */
export async function followRedirects(
  start: string,
  until: string,
  jar = cookieJar(),
  options: { beforeHop?: (url: string) => Promise<void> } = {},
): Promise<{ hops: { url: string; status: number }[]; final: string }> {
  const hops: { url: string; status: number }[] = [];
  let url = start;
  for (let i = 0; i < 15; i += 1) {
    await options.beforeHop?.(url);
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url) } });
    jar.store(url, response);
    hops.push({ url, status: response.status });
    const location = response.headers.get('location');
    if (location === null) {
      throw new Error(
        `${url} answered ${response.status} without a redirect: ${await response.text()}`,
      );
    }
    const next = new URL(location, url).href;
    if (next.startsWith(until)) {
      return { hops, final: next };
    }
    url = next;
  }
  throw new Error(`too many redirects: ${JSON.stringify(hops)}`);
}
