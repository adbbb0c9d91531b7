/**
 * The simulator's OAuth token endpoint for service accounts: the JWT bearer grant
 * (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`, `assertion=<RS256 JWT>`) that
 * `gtoken` sends. The assertion is verified like Google does: signature against the service
 * account's public key, `iss` a known account, `aud` the token URL, a live `exp`, a `scope`, and
 * a `sub` (the impersonated admin) allowed to use domain-wide delegation.
 *
 * @see /work/shared/reference/idp-apis.md §E "Auth"
 */
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';

import type { SimResponse } from '../shared/http-io.js';

/** A service account the simulator knows. */
export type SimServiceAccount = {
  readonly clientEmail: string;
  /** PEM (SPKI) or a `KeyObject`. */
  readonly publicKey: string | KeyObject;
};

/** An issued access token. */
export type IssuedToken = {
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly expiresAtMs: number;
};

/** What the endpoint needs. */
export type TokenDeps = {
  readonly accounts: () => readonly SimServiceAccount[];
  /** Admins that may be impersonated (any when empty). */
  readonly admins: () => ReadonlySet<string>;
  /** `aud` values accepted: Google's token URL and the simulator's own. */
  readonly audiences: () => readonly string[];
  readonly tokens: Map<string, IssuedToken>;
  readonly ttlSeconds: number;
  readonly now: () => number;
};

/** The OAuth error answer (`{error, error_description}`, as Google's token endpoint sends). */
function oauthError(status: number, error: string, description: string): SimResponse {
  return { status, body: { error, error_description: description } };
}

/** Serves `POST /token`. */
export function serveToken(deps: TokenDeps, form: URLSearchParams): SimResponse {
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
    return oauthError(
      400,
      'unsupported_grant_type',
      'Invalid grant_type: ' + (form.get('grant_type') ?? ''),
    );
  }
  const assertion = form.get('assertion') ?? '';
  const parts = assertion.split('.');
  const [head, body, signature] = parts;
  if (parts.length !== 3 || head === undefined || body === undefined || signature === undefined) {
    return oauthError(
      400,
      'invalid_grant',
      'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe',
    );
  }
  let header: { alg?: unknown };
  let claims: {
    iss?: unknown;
    aud?: unknown;
    exp?: unknown;
    iat?: unknown;
    scope?: unknown;
    sub?: unknown;
  };
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return oauthError(400, 'invalid_grant', 'Invalid JWT: not JSON');
  }
  if (header.alg !== 'RS256') {
    return oauthError(400, 'invalid_grant', 'Invalid JWT signature algorithm');
  }
  const account = deps.accounts().find(candidate => candidate.clientEmail === claims.iss);
  if (account === undefined) {
    return oauthError(400, 'invalid_grant', 'Invalid grant: account not found');
  }
  const key =
    typeof account.publicKey === 'string' ? createPublicKey(account.publicKey) : account.publicKey;
  const signed = Buffer.from(`${head}.${body}`);
  if (!verify('RSA-SHA256', signed, key, Buffer.from(signature, 'base64url'))) {
    return oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
  }
  const nowSeconds = Math.floor(deps.now() / 1000);
  if (typeof claims.aud !== 'string' || !deps.audiences().includes(claims.aud)) {
    return oauthError(400, 'invalid_grant', 'Invalid JWT: audience');
  }
  if (
    typeof claims.exp !== 'number' ||
    claims.exp <= nowSeconds ||
    typeof claims.iat !== 'number' ||
    claims.iat > nowSeconds + 300
  ) {
    return oauthError(
      400,
      'invalid_grant',
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    );
  }
  if (typeof claims.scope !== 'string' || claims.scope.trim() === '') {
    return oauthError(400, 'invalid_scope', 'Empty or missing scope not allowed.');
  }
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  const admins = deps.admins();
  if (subject === '' || (admins.size > 0 && !admins.has(subject.toLowerCase()))) {
    return oauthError(
      401,
      'unauthorized_client',
      'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
    );
  }
  const token = `ya29.sim-${randomBytes(18).toString('base64url')}`;
  deps.tokens.set(token, {
    subject,
    scopes: claims.scope.split(/\s+/),
    expiresAtMs: deps.now() + deps.ttlSeconds * 1000,
  });
  return {
    status: 200,
    body: { access_token: token, expires_in: deps.ttlSeconds, token_type: 'Bearer' },
  };
}
