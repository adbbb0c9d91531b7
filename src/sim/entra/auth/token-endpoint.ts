/**
 * `POST /{tenant}/oauth2/v2.0/token` for the client-credentials grant, with a client secret or a
 * certificate-signed client assertion, answering like Entra: a Bearer token with `expires_in` /
 * `ext_expires_in`, or an AAD error (AADSTS7000215 wrong secret, AADSTS700024 expired assertion,
 * AADSTS700016 unknown app, AADSTS1002012 scope without `/.default`, …).
 *
 * @see /work/shared/reference/idp-apis.md §B "Token request on the wire"
 */
import { timingSafeEqual } from 'node:crypto';

import type { SimResponse } from '../graph/errors.js';
import { AadError, missingParameter } from './aad-errors.js';
import { GRAPH_AUDIENCES, type TokenIssuer } from './access-token.js';
import type { RegisteredApp } from './apps.js';
import { JWT_BEARER, verifyClientAssertion } from './client-assertion.js';

/** What the token endpoint needs. */
export type TokenEndpointDeps = {
  tenantId: string;
  tenantDomain: string;
  /** Origins clients may address (own origin and the public login origin). */
  loginOrigins: readonly string[];
  /** Resource identifiers accepted in `scope` besides Graph's own (e.g. the public Graph origin). */
  graphResources: readonly string[];
  apps: ReadonlyMap<string, RegisteredApp>;
  issuer: TokenIssuer;
  now: () => number;
};

/** True when `tenant` names the simulated tenant (by id or verified domain). */
export function isTenant(
  tenant: string,
  deps: Pick<TokenEndpointDeps, 'tenantId' | 'tenantDomain'>,
): boolean {
  return [deps.tenantId, deps.tenantDomain].some(t => t.toLowerCase() === tenant.toLowerCase());
}

/** AADSTS90002 for an authority path naming another tenant. */
export function tenantNotFound(tenant: string, error = 'invalid_request'): AadError {
  return new AadError(
    400,
    error,
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. ` +
      'Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.',
  );
}

function sameSecret(given: string, expected: string | undefined): boolean {
  if (expected === undefined) {
    return false;
  }
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkScope(scope: string | null, deps: TokenEndpointDeps): void {
  if (scope === null || scope.trim() === '') {
    throw missingParameter('scope');
  }
  const scopes = scope.trim().split(/\s+/);
  const [only = ''] = scopes;
  if (scopes.length !== 1 || !only.endsWith('/.default')) {
    throw new AadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resource = only.slice(0, -'/.default'.length).replace(/\/$/, '');
  if (![...GRAPH_AUDIENCES, ...deps.graphResources].includes(resource)) {
    throw new AadError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${deps.tenantDomain}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    );
  }
}

/**
 * Answers one token request for `tenant` with form body `form`.
 *
 * @throws AadError for every refusal (the caller renders it)
 */
export function handleTokenRequest(
  tenant: string,
  form: URLSearchParams,
  deps: TokenEndpointDeps,
): SimResponse {
  if (!isTenant(tenant, deps)) {
    throw tenantNotFound(tenant);
  }
  const grantType = form.get('grant_type');
  if (!grantType) {
    throw missingParameter('grant_type');
  }
  if (grantType !== 'client_credentials') {
    throw new AadError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    );
  }
  const clientId = form.get('client_id');
  if (!clientId) {
    throw missingParameter('client_id');
  }
  const app = deps.apps.get(clientId);
  if (!app) {
    throw new AadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${deps.tenantDomain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  let credential: 'secret' | 'certificate';
  if (secret !== null) {
    if (!sameSecret(secret, app.clientSecret)) {
      throw new AadError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    credential = 'secret';
  } else if (assertion !== null) {
    if (form.get('client_assertion_type') !== JWT_BEARER) {
      throw missingParameter('client_assertion_type');
    }
    const audiences = deps.loginOrigins.flatMap(origin =>
      [deps.tenantId, deps.tenantDomain].flatMap(t => [
        `${origin}/${t}/oauth2/v2.0/token`,
        `${origin}/${t}/v2.0`,
      ]),
    );
    verifyClientAssertion(assertion, app, audiences, deps.now());
    credential = 'certificate';
  } else {
    throw new AadError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  checkScope(form.get('scope'), deps);
  const { accessToken, expiresIn } = deps.issuer.issue(app, credential);
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: accessToken,
    },
    headers: { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
  };
}
