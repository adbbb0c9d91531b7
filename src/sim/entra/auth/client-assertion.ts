/**
 * Checks a `client_assertion` (RFC 7523 JWT bearer) the way Entra does for certificate
 * credentials: key found by `x5t#S256` or `x5t` thumbprint among the app's certificates,
 * RS256/PS256 signature, `iss` = `sub` = client id, `aud` = the token endpoint, time range with
 * five minutes of clock skew. Replayed assertions are accepted: MSAL reuses one for 10 minutes.
 *
 * Codes and messages from the Azure Identity troubleshooting tables (AADSTS700021, 700023,
 * 50027, 700027) and published AADSTS700024 bodies.
 */
import { AadError } from './aad-errors.js';
import type { RegisteredApp } from './apps.js';
import { decodeJwt, verifyJwt } from './jwt.js';

const DOCS =
  'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials.';
const SKEW_SECONDS = 300;

/** The JWT-bearer client assertion type. */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** `2023-08-01T11:08:01.5270000Z`: AAD prints seven fractional digits. */
function aadTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('Z', '0000Z');
}

function invalidSignature(reason: string, thumbprint: string, clientId: string): AadError {
  return new AadError(
    401,
    'invalid_client',
    700027,
    `Client assertion contains an invalid signature. [Reason - ${reason}, Thumbprint of key used by client: ` +
      `'${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see ` +
      `configured keys for app Id '${clientId}'. Review the documentation at ` +
      'https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http.]',
  );
}

/**
 * Verifies `assertion` for `app`; `audiences` are the accepted `aud` values.
 *
 * @throws AadError with Entra's code when the assertion is refused
 */
export function verifyClientAssertion(
  assertion: string,
  app: RegisteredApp,
  audiences: readonly string[],
  nowMs: number,
): void {
  const jwt = decodeJwt(assertion);
  if (!jwt) {
    throw new AadError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
  }
  const alg = jwt.header['alg'];
  const thumb = jwt.header['x5t#S256'] ?? jwt.header['x5t'];
  if ((alg !== 'RS256' && alg !== 'PS256') || typeof thumb !== 'string') {
    throw new AadError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
  }
  const hex = Buffer.from(thumb, 'base64url').toString('hex').toUpperCase();
  const key = app.keys.get(thumb);
  if (!key) {
    throw invalidSignature('The key was not found.', hex, app.clientId);
  }
  if (!verifyJwt(jwt, alg, key)) {
    throw invalidSignature(
      'The provided signature value did not match the expected signature value.',
      hex,
      app.clientId,
    );
  }
  const claims = jwt.payload;
  if (claims['iss'] !== app.clientId || claims['sub'] !== app.clientId) {
    throw new AadError(
      401,
      'invalid_client',
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter. ${DOCS}`,
    );
  }
  if (!audiences.includes(String(claims['aud']))) {
    throw new AadError(
      401,
      'invalid_client',
      700023,
      `Client assertion audience claim does not match Realm issuer. ${DOCS}`,
    );
  }
  const now = nowMs / 1000;
  const exp = Number(claims['exp']);
  const nbf = Number(claims['nbf'] ?? claims['iat'] ?? exp - 600);
  if (!Number.isFinite(exp) || exp + SKEW_SECONDS <= now || nbf - SKEW_SECONDS > now) {
    throw new AadError(
      401,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${aadTime(now)}, assertion valid from ` +
        `${aadTime(nbf)}, expiry time of assertion ${aadTime(exp)}. Review the documentation at ` +
        'https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .',
    );
  }
}
