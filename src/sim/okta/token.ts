/**
 * `POST /oauth2/v1/token` for OAuth service apps: the client-credentials grant authenticated with
 * a `private_key_jwt` client assertion (RS256 or ES256, `iss` = `sub` = client id, `aud` = the
 * token endpoint URL, `exp` within the hour, single-use `jti`). The `DPoP` proof header the SDK
 * always sends is ignored: no `use_dpop_nonce` challenge is issued. Errors use the OAuth shape
 * `{error, error_description}`, not Okta's E-codes.
 *
 * @see /work/shared/reference/idp-apis.md §C "Auth"
 */
import { createPublicKey, randomBytes, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

import type { Credentials } from './auth.js';
import type { SimResponse } from './errors.js';
import type { SimOAuthClient } from './types.js';

const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** What the token endpoint needs from the simulator. */
export type TokenContext = {
  readonly clients: readonly SimOAuthClient[];
  readonly credentials: Credentials;
  /** `{orgUrl}/oauth2/v1/token`: the required assertion audience. */
  readonly audience: string;
  readonly nowMs: number;
  readonly ttlSeconds: number;
  /** `jti`s already used, with their expiry (epoch ms). */
  readonly usedJtis: Map<string, number>;
};

/** Answers one token request whose form body is `raw`. */
export function handleTokenRequest(context: TokenContext, raw: string): SimResponse {
  const form = new URLSearchParams(raw);
  if (form.get('grant_type') !== 'client_credentials') {
    return oauthError(
      400,
      'unsupported_grant_type',
      'The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials].',
    );
  }
  if (form.get('client_assertion_type') !== assertionType) {
    return oauthError(
      400,
      'invalid_request',
      `The client_assertion_type must be ${assertionType}.`,
    );
  }
  const checked = checkAssertion(context, form.get('client_assertion') ?? '');
  if (typeof checked === 'string') {
    return oauthError(401, 'invalid_client', checked);
  }
  const requested = (form.get('scope') ?? '').split(' ').filter(s => s !== '');
  if (requested.length === 0 || requested.some(scope => !checked.scopes.includes(scope))) {
    return oauthError(
      400,
      'invalid_scope',
      'One or more scopes are not configured for the authorization server resource.',
    );
  }
  const accessToken = randomBytes(32).toString('base64url');
  context.credentials.accessTokens.set(accessToken, {
    clientId: checked.clientId,
    scopes: requested,
    expiresAtMs: context.nowMs + context.ttlSeconds * 1000,
  });
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: context.ttlSeconds,
      access_token: accessToken,
      scope: requested.join(' '),
    },
  };
}

/** The client the assertion authenticates, or why it does not. */
function checkAssertion(context: TokenContext, assertion: string): SimOAuthClient | string {
  const [headerPart, payloadPart, signaturePart] = assertion.split('.');
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  if (header === undefined || payload === undefined || signaturePart === undefined) {
    return 'The client_assertion is not a valid JWT.';
  }
  const client = context.clients.find(c => c.clientId === payload['iss']);
  if (client === undefined || payload['sub'] !== client.clientId) {
    return "Invalid value for 'client_id' parameter.";
  }
  const alg = header['alg'];
  if (alg !== 'RS256' && alg !== 'ES256') {
    return 'The client_assertion signature algorithm is not supported.';
  }
  const kid = header['kid'];
  const keys = client.keys.filter(
    key => kid === undefined || !('kid' in key) || keyId(key) === kid,
  );
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  if (!keys.some(key => verifies(alg, key, signed, signature))) {
    return 'The client_assertion signature is invalid.';
  }
  if (payload['aud'] !== context.audience) {
    return 'The audience claim for client_assertion must be the endpoint invoking the client_assertion.';
  }
  const exp = payload['exp'];
  const iat = payload['iat'];
  const nowSeconds = context.nowMs / 1000;
  if (typeof exp !== 'number' || exp <= nowSeconds) {
    return 'The client_assertion token is expired.';
  }
  if (typeof iat === 'number' && exp - iat > 3600) {
    return 'The client_assertion token has an expiration too far into the future.';
  }
  const jti = payload['jti'];
  if (typeof jti !== 'string' || jti === '') {
    return 'The client_assertion token must contain a jti claim.';
  }
  for (const [seen, until] of context.usedJtis) {
    if (until <= context.nowMs) {
      context.usedJtis.delete(seen);
    }
  }
  if (context.usedJtis.has(jti)) {
    return 'The client_assertion token has already been used.';
  }
  context.usedJtis.set(jti, exp * 1000);
  return client;
}

function keyId(key: Record<string, unknown>): unknown {
  return key['kid'];
}

function verifies(
  alg: 'RS256' | 'ES256',
  jwk: Record<string, unknown>,
  data: Buffer,
  signature: Buffer,
): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch {
    return false;
  }
  if (alg === 'ES256') {
    return (
      key.asymmetricKeyType === 'ec' &&
      verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)
    );
  }
  return key.asymmetricKeyType === 'rsa' && verify('sha256', data, key, signature);
}

function decodeJson(part: string | undefined): Record<string, unknown> | undefined {
  if (part === undefined) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function oauthError(status: number, error: string, description: string): SimResponse {
  return { status, body: { error, error_description: description } };
}
