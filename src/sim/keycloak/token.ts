/**
 * The realm's token endpoint for the client-credentials grant. The client authenticates with HTTP
 * Basic (what `@keycloak/keycloak-admin-client` sends) or with `client_id`/`client_secret` in the
 * form. Tokens are JWT-shaped (HS256 over a per-simulator secret) with `exp`, because the admin
 * client decodes them; no refresh token is issued, as for Keycloak's client credentials.
 *
 * @see /work/shared/reference/idp-apis.md §F "Token"
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

import type { SimResponse } from '../shared/http-io.js';
import type { KeycloakRealm } from './directory.js';

/** Signs and checks the simulator's access tokens. */
export type TokenSigner = {
  issue(claims: Record<string, unknown>): string;
  /** The claims of a token this simulator signed, or `undefined`. */
  verify(token: string): Record<string, unknown> | undefined;
};

/** Creates a signer with a fresh secret. */
export function createTokenSigner(): TokenSigner {
  const secret = randomBytes(32);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const sign = (data: string) => createHmac('sha256', secret).update(data).digest();
  return {
    issue(claims) {
      const unsigned = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'sim' })}.${b64(claims)}`;
      return `${unsigned}.${sign(unsigned).toString('base64url')}`;
    },
    verify(token) {
      const [head, body, signature] = token.split('.');
      if (head === undefined || body === undefined || signature === undefined) {
        return undefined;
      }
      const expected = sign(`${head}.${body}`);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return undefined;
      }
      try {
        return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<
          string,
          unknown
        >;
      } catch {
        return undefined;
      }
    },
  };
}

/** What the endpoint needs. */
export type TokenDeps = {
  readonly realm: KeycloakRealm;
  readonly signer: TokenSigner;
  readonly issuer: () => string;
  readonly ttlSeconds: () => number;
  readonly now: () => number;
};

function oauthError(status: number, error: string, description: string): SimResponse {
  return { status, body: { error, error_description: description } };
}

/** Serves `POST /realms/{realm}/protocol/openid-connect/token`. */
export function serveToken(
  deps: TokenDeps,
  form: URLSearchParams,
  authorization: string | undefined,
): SimResponse {
  let clientId = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  const basic = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
  if (basic !== undefined) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    clientId = decodeURIComponent(decoded.slice(0, colon));
    secret = decodeURIComponent(decoded.slice(colon + 1));
  }
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'Unsupported grant_type');
  }
  const client = clientId === undefined ? undefined : deps.realm.clients.get(clientId);
  if (client === undefined || client.secret !== secret) {
    return oauthError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
  }
  const now = Math.floor(deps.now() / 1000);
  const ttl = deps.ttlSeconds();
  const token = deps.signer.issue({
    exp: now + ttl,
    iat: now,
    jti: randomUUID(),
    iss: deps.issuer(),
    aud: ['realm-management', 'account'],
    sub: `service-account-${client.clientId}`,
    typ: 'Bearer',
    azp: client.clientId,
    scope: 'profile email',
    clientId: client.clientId,
    preferred_username: `service-account-${client.clientId}`,
  });
  return {
    status: 200,
    body: {
      access_token: token,
      expires_in: ttl,
      refresh_expires_in: 0,
      token_type: 'Bearer',
      'not-before-policy': 0,
      scope: 'profile email',
    },
  };
}
