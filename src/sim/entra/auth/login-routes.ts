/**
 * The login (authority) side of the simulator: token endpoint, OIDC configuration, JWKS and
 * instance discovery, each with the endpoint template the call counters use.
 */
import { randomUUID } from 'node:crypto';

import type { SimResponse } from '../graph/errors.js';
import { AadError, aadErrorResponse } from './aad-errors.js';
import { instanceDiscovery, openIdConfiguration } from './metadata.js';
import {
  handleTokenRequest,
  isTenant,
  tenantNotFound,
  type TokenEndpointDeps,
} from './token-endpoint.js';

/** What the login routes need. */
export type LoginDeps = TokenEndpointDeps & {
  /** Public login and Graph origins for the documents. */
  publicLogin: string;
  publicGraph: string;
};

/** A request to a login route. */
export type LoginRequest = {
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
};

/** A matched login route. */
export type LoginMatch = {
  endpoint: string;
  run(request: LoginRequest, deps: LoginDeps): SimResponse;
};

function json(body: unknown): SimResponse {
  return { status: 200, body };
}

function guarded(tenant: string, run: (deps: LoginDeps) => SimResponse, invalidTenant: string) {
  return (request: LoginRequest, deps: LoginDeps): SimResponse => {
    const ids = {
      traceId: randomUUID(),
      correlationId:
        request.query.get('client-request-id') ??
        request.headers['client-request-id'] ??
        randomUUID(),
      now: deps.now(),
    };
    try {
      if (!isTenant(tenant, deps)) {
        throw tenantNotFound(tenant, invalidTenant || 'invalid_request');
      }
      const response = run(deps);
      return {
        ...response,
        headers: {
          ...response.headers,
          'client-request-id': ids.correlationId,
          'x-ms-request-id': ids.traceId,
        },
      };
    } catch (err) {
      if (err instanceof AadError) {
        return aadErrorResponse(err, ids, deps.publicLogin);
      }
      throw err;
    }
  };
}

/** The login route for `method path`, if any. */
export function matchLogin(method: string, path: string): LoginMatch | undefined {
  const parts = path.split('/').filter(Boolean);
  const [tenant = '', ...rest] = parts;
  const tail = rest.join('/');
  if (method === 'POST' && tail === 'oauth2/v2.0/token') {
    return {
      endpoint: 'POST /{tenant}/oauth2/v2.0/token',
      run: (request, deps) =>
        guarded(
          tenant,
          d => handleTokenRequest(tenant, new URLSearchParams(request.body), d),
          '',
        )(request, deps),
    };
  }
  if (method === 'GET' && tail === 'v2.0/.well-known/openid-configuration') {
    return {
      endpoint: 'GET /{tenant}/v2.0/.well-known/openid-configuration',
      run: guarded(
        tenant,
        d =>
          json(
            openIdConfiguration({
              login: d.publicLogin,
              graph: d.publicGraph,
              tenantId: d.tenantId,
            }),
          ),
        'invalid_tenant',
      ),
    };
  }
  if (method === 'GET' && tail === 'discovery/v2.0/keys') {
    return {
      endpoint: 'GET /{tenant}/discovery/v2.0/keys',
      run: guarded(tenant, d => json(d.issuer.jwks()), 'invalid_tenant'),
    };
  }
  if (method === 'GET' && tenant === 'common' && tail === 'discovery/instance') {
    return {
      endpoint: 'GET /common/discovery/instance',
      run: (request, deps) =>
        json(
          instanceDiscovery(
            { login: deps.publicLogin, graph: deps.publicGraph, tenantId: deps.tenantId },
            request.query.get('authorization_endpoint'),
          ),
        ),
    };
  }
  return undefined;
}

/** AAD-shaped body for a fault rule on a login route. */
export function loginFaultBody(status: number, now: number, origin: string): unknown {
  const err =
    status === 401
      ? new AadError(401, 'invalid_client', 7000215, 'Invalid client secret provided.')
      : status >= 500 || status === 429
        ? new AadError(
            status,
            'temporarily_unavailable',
            90033,
            'A transient error has occurred. Please try again.',
          )
        : new AadError(status, 'invalid_request', 90014, 'The request is not valid.');
  return aadErrorResponse(err, { traceId: randomUUID(), correlationId: randomUUID(), now }, origin)
    .body;
}
