/**
 * Finds the Graph route for a method and path (literal segments beat `{id}` placeholders, so
 * `/users/delta` is not read as a user id) and prices a request in resource units.
 *
 * @see /work/shared/reference/idp-apis.md §A "Errors and throttling" (cost table and modifiers)
 */
import type { GraphRoute } from './context.js';
import { deltaRoutes } from './delta.js';
import { GraphHttpError } from './errors.js';
import { groupRoutes } from './groups.js';
import { param } from './odata.js';
import { servicePrincipalRoutes } from './service-principals.js';
import { userRoutes } from './users.js';

/** Every Graph endpoint the simulator serves (`$batch` is handled by the pipeline). */
export const graphRoutes: readonly GraphRoute[] = [
  ...userRoutes,
  ...groupRoutes,
  ...servicePrincipalRoutes,
  ...deltaRoutes,
];

/** A matched route, its path parameters and its counter key (`GET /v1.0/users/{id}`). */
export type RouteMatch = { route: GraphRoute; params: Record<string, string>; endpoint: string };

function segments(path: string): string[] {
  return path.split('/').filter(s => s !== '');
}

function matchPattern(
  pattern: string,
  parts: readonly string[],
): Record<string, string> | undefined {
  const expected = segments(pattern);
  if (expected.length !== parts.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (const [i, segment] of expected.entries()) {
    const actual = parts[i] ?? '';
    if (segment.startsWith('{')) {
      params[segment.slice(1, -1)] = decodeURIComponent(actual);
    } else if (segment.toLowerCase() !== actual.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

/**
 * The route for `method path` (path after `/v1.0`).
 *
 * @throws GraphHttpError 400 "Resource not found for the segment" or 405 like Graph
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const parts = segments(path);
  const candidates = graphRoutes
    .map(route => ({ route, params: matchPattern(route.pattern, parts) }))
    .filter(
      (c): c is { route: GraphRoute; params: Record<string, string> } => c.params !== undefined,
    )
    .sort((a, b) => Object.keys(a.params).length - Object.keys(b.params).length);
  const found = candidates.find(c => c.route.method === method);
  if (found) {
    return { ...found, endpoint: `${method} /v1.0${found.route.pattern}` };
  }
  if (candidates.length > 0) {
    throw new GraphHttpError(
      405,
      'Request_BadRequest',
      'Specified HTTP method is not allowed for the request target.',
    );
  }
  // Name the first segment no route continues with, as Graph does.
  let depth = 0;
  while (
    depth < parts.length &&
    graphRoutes.some(r =>
      matchPattern(
        segments(r.pattern)
          .slice(0, depth + 1)
          .join('/'),
        parts.slice(0, depth + 1),
      ),
    )
  ) {
    depth += 1;
  }
  throw new GraphHttpError(
    400,
    'BadRequest',
    `Resource not found for the segment '${parts[depth] ?? ''}'.`,
  );
}

/**
 * Resource units of one request: the route's base cost, −1 with `$select`, +1 with `$expand`,
 * −1 with `$top` below 20, never below 1 (throttling-limits.md, identity and access).
 */
export function resourceUnits(baseCost: number, query: URLSearchParams): number {
  let cost = baseCost;
  if (param(query, '$select')) {
    cost -= 1;
  }
  if (param(query, '$expand')) {
    cost += 1;
  }
  const top = Number(param(query, '$top') ?? Number.NaN);
  if (top < 20) {
    cost -= 1;
  }
  return Math.max(1, cost);
}
