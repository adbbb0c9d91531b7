/**
 * The route contract of the Okta simulator: a method, a path pattern with `:params`, the OAuth
 * scope the call needs, and a synchronous handler over the directory.
 */
import type { Directory } from './directory.js';
import { OktaError, type SimResponse } from './errors.js';

/** What a handler gets. */
export type RouteContext = {
  readonly directory: Directory;
  readonly params: Readonly<Record<string, string>>;
  readonly url: URL;
  /** The org URL for absolute links. */
  readonly orgUrl: string;
  /** The parsed JSON body of a write (undefined when empty). */
  readonly body: unknown;
};

/** One management API endpoint. */
export type Route = {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** e.g. `/api/v1/groups/:groupId/users`. */
  readonly pattern: string;
  /** e.g. `okta.groups.read`; SSWS tokens have every scope. */
  readonly scope: string;
  handle(context: RouteContext): SimResponse;
};

/** A matched route with its decoded path parameters. */
export type RouteMatch = { readonly route: Route; readonly params: Record<string, string> };

/**
 * Finds the route for a request. A trailing slash is accepted. A known path with another method
 * is Okta's 405 E0000022; an unknown path is a 404 E0000007.
 *
 * @throws OktaError
 */
export function findRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const segments = splitPath(path);
  let pathKnown = false;
  for (const route of routes) {
    const params = matchPattern(splitPath(route.pattern), segments);
    if (params === undefined) {
      continue;
    }
    pathKnown = true;
    if (route.method === method) {
      return { route, params };
    }
  }
  if (pathKnown) {
    throw new OktaError('E0000022');
  }
  throw new OktaError('E0000007', `Not found: Resource not found: ${path} (Resource)`);
}

/** The path with parameters replaced by `{name}`, for call counters: `GET /api/v1/users/{id}`. */
export function endpointTemplate(routes: readonly Route[], method: string, path: string): string {
  const segments = splitPath(path);
  for (const route of routes) {
    if (route.method === method && matchPattern(splitPath(route.pattern), segments) !== undefined) {
      return `${method} ${route.pattern.replace(/:(\w+)/g, '{$1}')}`;
    }
  }
  return `${method} ${path}`;
}

function splitPath(path: string): string[] {
  return path.split('/').filter(segment => segment !== '');
}

function matchPattern(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] as string;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

/** A 200 JSON answer. */
export function ok(body: unknown, headers?: Record<string, string | string[]>): SimResponse {
  return headers === undefined ? { status: 200, body } : { status: 200, body, headers };
}

/** A 204 answer. */
export function noContent(): SimResponse {
  return { status: 204, body: undefined };
}
