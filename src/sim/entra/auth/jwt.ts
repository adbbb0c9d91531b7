/**
 * Compact JWS with `node:crypto`: enough to issue RS256 access tokens and to verify the RS256 or
 * PS256 client assertions MSAL signs (PS256 with `x5t#S256` since msal-node 3, RS256 with `x5t`
 * for SHA-1 thumbprints: msal-node `ClientAssertion.createJwt`, read in node_modules 7.2.4).
 */
import { constants, sign, verify, type KeyObject } from 'node:crypto';

/** Algorithms the simulator signs or verifies. */
export type JwtAlgorithm = 'RS256' | 'PS256';

/** A decoded, not yet verified, token. */
export type DecodedJwt = {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
};

function encodePart(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function keyFor(
  alg: JwtAlgorithm,
  key: KeyObject,
): KeyObject | { key: KeyObject; padding: number; saltLength: number } {
  // jsonwebtoken (used by MSAL) signs PS256 with a salt as long as the digest.
  return alg === 'PS256'
    ? {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      }
    : key;
}

/** Signs `payload` with `header` (the `alg` is set from `alg`). */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject,
  alg: JwtAlgorithm = 'RS256',
): string {
  const signingInput = `${encodePart({ ...header, alg })}.${encodePart(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), keyFor(alg, key));
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** Splits and parses a compact JWS; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return undefined;
  }
  const [h = '', p = '', s = ''] = parts;
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (
      typeof header !== 'object' ||
      header === null ||
      typeof payload !== 'object' ||
      payload === null
    ) {
      return undefined;
    }
    return {
      header: header as Record<string, unknown>,
      payload: payload as Record<string, unknown>,
      signingInput: `${h}.${p}`,
      signature: Buffer.from(s, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

/** Checks the signature of a decoded token with `alg` and `publicKey`. */
export function verifyJwt(jwt: DecodedJwt, alg: JwtAlgorithm, publicKey: KeyObject): boolean {
  try {
    return verify('sha256', Buffer.from(jwt.signingInput), keyFor(alg, publicKey), jwt.signature);
  } catch {
    return false;
  }
}
