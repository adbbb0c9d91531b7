/**
 * Authentication of management API calls: `Authorization: SSWS <api token>` (all scopes, like an
 * admin's token) or `Authorization: Bearer <access token>` issued by `/oauth2/v1/token`, which
 * carries only the scopes granted to the service app and expires.
 *
 * @see /work/shared/reference/idp-apis.md §C "Auth"
 */
import { OktaError } from './errors.js';

/** An access token the token endpoint issued. */
export type IssuedToken = {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly expiresAtMs: number;
};

/** The simulator's credentials: API tokens and issued access tokens. */
export type Credentials = {
  apiTokens: Set<string>;
  readonly accessTokens: Map<string, IssuedToken>;
};

/**
 * Checks the `Authorization` header for a call that needs `scope`.
 *
 * Missing or unknown credentials are 401 E0000011 "Invalid token provided" (what Okta answers
 * for a bad SSWS token; for a missing header a real org may answer 403 E0000005, UNVERIFIED).
 * A valid access token without the scope is 403 E0000006 with an `insufficient_scope`
 * `WWW-Authenticate` challenge.
 *
 * @throws OktaError
 */
export function authenticate(
  credentials: Credentials,
  authorization: string | undefined,
  scope: string,
  nowMs: number,
): void {
  const [scheme, value] = splitAuthorization(authorization);
  if (scheme === 'ssws' && value !== undefined && credentials.apiTokens.has(value)) {
    return;
  }
  if (scheme === 'bearer' && value !== undefined) {
    const issued = credentials.accessTokens.get(value);
    if (issued !== undefined && issued.expiresAtMs > nowMs) {
      if (!issued.scopes.includes(scope)) {
        throw new OktaError('E0000006', undefined, [], {
          'www-authenticate': `Bearer realm="IdpRealm", scope="${scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes."`,
        });
      }
      return;
    }
    throw new OktaError('E0000011', undefined, [], {
      'www-authenticate':
        'Bearer realm="IdpRealm", error="invalid_token", error_description="The token is not valid."',
    });
  }
  throw new OktaError('E0000011');
}

function splitAuthorization(header: string | undefined): [string, string | undefined] {
  const trimmed = header?.trim() ?? '';
  const space = trimmed.indexOf(' ');
  if (space === -1) {
    return [trimmed.toLowerCase(), undefined];
  }
  return [trimmed.slice(0, space).toLowerCase(), trimmed.slice(space + 1).trim()];
}
