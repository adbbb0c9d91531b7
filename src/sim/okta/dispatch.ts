/**
 * One API request through the simulator's gates, in Okta's order as far as it is observable:
 * concurrency limit, route, per-bucket rate limit, authentication and scope, then the handler.
 * Every answer — errors and 429s included — carries the bucket's `X-Rate-Limit-*` headers.
 */
import { authenticate, type Credentials } from './auth.js';
import { DirectoryError, type Directory } from './directory.js';
import { errorResponse, OktaError, type SimResponse } from './errors.js';
import { bucketOf, type RateLimiter } from './rate-limits.js';
import { findRoute, type Route } from './router.js';
import { handleTokenRequest, type TokenContext } from './token.js';
import type { SimOAuthClient } from './types.js';

/** Everything a request may touch. */
export type DispatchDeps = {
  readonly directory: Directory;
  readonly routes: readonly Route[];
  readonly limiter: RateLimiter;
  readonly credentials: Credentials;
  readonly clients: () => readonly SimOAuthClient[];
  readonly usedJtis: Map<string, number>;
  readonly orgUrl: string;
  readonly tokenTtlSeconds: number;
  readonly now: () => number;
  readonly errorId: () => string;
};

/** One request as the server read it. */
export type ApiRequest = {
  readonly method: string;
  readonly url: URL;
  readonly authorization: string | undefined;
  readonly rawBody: Buffer;
  /** Requests in flight including this one, against the concurrency limit. */
  readonly overConcurrency: boolean;
};

/** Answers one management API or token request. */
export function dispatch(deps: DispatchDeps, request: ApiRequest): SimResponse {
  const { method, url } = request;
  const bucket = bucketOf(method, url.pathname);
  if (request.overConcurrency) {
    return withHeaders(fail(deps, new OktaError('E0000047')), deps.limiter.peek(bucket));
  }
  if (method === 'POST' && url.pathname.replace(/\/$/, '') === '/oauth2/v1/token') {
    const decision = deps.limiter.take(bucket);
    const response = decision.allowed
      ? handleTokenRequest(tokenContext(deps), request.rawBody.toString('utf8'))
      : fail(deps, new OktaError('E0000047'));
    return withHeaders(response, decision.headers);
  }
  let rateHeaders: Record<string, string> = {};
  try {
    const { route, params } = findRoute(deps.routes, method, url.pathname);
    const decision = deps.limiter.take(bucket);
    rateHeaders = decision.headers;
    if (!decision.allowed) {
      throw new OktaError('E0000047');
    }
    authenticate(deps.credentials, request.authorization, route.scope, deps.now());
    const body = parseJson(request.rawBody);
    const response = route.handle({
      directory: deps.directory,
      params,
      url,
      orgUrl: deps.orgUrl,
      body,
    });
    return withHeaders(response, rateHeaders);
  } catch (error) {
    return withHeaders(fail(deps, toOktaError(error)), rateHeaders);
  }
}

function tokenContext(deps: DispatchDeps): TokenContext {
  return {
    clients: deps.clients(),
    credentials: deps.credentials,
    audience: `${deps.orgUrl}/oauth2/v1/token`,
    nowMs: deps.now(),
    ttlSeconds: deps.tokenTtlSeconds,
    usedJtis: deps.usedJtis,
  };
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) {
    return undefined;
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new OktaError('E0000001', undefined, ['The request body was not well-formed.']);
  }
}

function toOktaError(error: unknown): OktaError {
  if (error instanceof OktaError) {
    return error;
  }
  if (error instanceof DirectoryError) {
    return error.kind === 'not-found'
      ? new OktaError('E0000007', error.message)
      : new OktaError('E0000001', undefined, [error.message]);
  }
  return new OktaError('E0000009', undefined, [String(error)]);
}

function fail(deps: DispatchDeps, error: OktaError): SimResponse {
  return errorResponse(error, deps.errorId());
}

function withHeaders(response: SimResponse, headers: Record<string, string>): SimResponse {
  return { ...response, headers: { ...headers, ...(response.headers ?? {}) } };
}
