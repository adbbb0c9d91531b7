/**
 * Bearer ID tokens on `/hooks/login`: the JWS signature against the issuer's JWKS (fetched and
 * cached by jose, refetched when an unknown `kid` shows up), `iss`, `aud` = OIDC_CLIENT_ID,
 * `exp`, and an `iat` no further than five minutes in the future. `alg: none` and HMAC
 * algorithms are refused: only asymmetric signatures prove the issuer signed it.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
import {
  createRemoteJWKSet,
  customFetch,
  jwtVerify,
  type JWTPayload,
  type JWSAlgorithm,
} from 'jose';

import type { Issuer } from './issuer.js';

/** Largest accepted clock difference for `iat` (and nothing else), in seconds. */
export const maxIatSkewSec = 300;

const asymmetric: JWSAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** Why a token was refused (for logs and metrics; the HTTP answer is always a bare 401). */
export class TokenRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenRejectedError';
  }
}

/** Verifies a compact ID token; resolves with its claims or rejects with {@link TokenRejectedError}. */
export type TokenVerifier = (token: string) => Promise<JWTPayload>;

/**
 * @param deps.now clock in ms (tests move it)
 * @example
 * const verify = createTokenVerifier(issuer, { fetch, now: Date.now });
 * const claims = await verify(bearer); // throws TokenRejectedError
 */
export function createTokenVerifier(
  issuer: Issuer,
  deps: { fetch?: typeof fetch | undefined; now: () => number },
): TokenVerifier {
  let jwks: { uri: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;
  return async token => {
    // Provider unreachable is not the caller's fault: it propagates as-is (503, not 401).
    const metadata = (await issuer.configuration()).serverMetadata();
    if (metadata.jwks_uri === undefined) {
      throw new Error(`the provider ${metadata.issuer} publishes no jwks_uri`);
    }
    if (jwks?.uri !== metadata.jwks_uri) {
      const set = createRemoteJWKSet(new URL(metadata.jwks_uri), {
        timeoutDuration: 5000,
        ...(deps.fetch === undefined ? {} : { [customFetch]: deps.fetch }),
      });
      jwks = { uri: metadata.jwks_uri, set };
    }
    const nowSec = Math.floor(deps.now() / 1000);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks.set, {
        issuer: metadata.issuer,
        audience: issuer.settings.clientId,
        algorithms: asymmetric,
        requiredClaims: ['iss', 'aud', 'exp', 'iat', 'sub'],
        currentDate: new Date(nowSec * 1000),
      }));
    } catch (error) {
      if (isJwksUnavailable(error)) {
        throw error;
      }
      throw new TokenRejectedError(error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
    if (typeof payload.iat !== 'number' || payload.iat > nowSec + maxIatSkewSec) {
      throw new TokenRejectedError('"iat" is more than 5 minutes in the future');
    }
    return payload;
  };
}

/** A JWKS that cannot be fetched is an outage, not a bad token. */
function isJwksUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_JWKS_TIMEOUT' || (error instanceof Error && error.name === 'TypeError');
}
