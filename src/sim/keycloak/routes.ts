/**
 * The admin REST routes the simulator serves, below `/admin/realms/{realm}`: users (list with
 * exact/substring filters, count, one, a user's groups), groups (top level, count, one,
 * children, members). Offset paging with `first`/`max` (default 100); a trailing slash is
 * accepted everywhere, as the admin client sends one on collection calls.
 *
 * Error bodies: `{"error": "..."}`, which the admin client reads (`fetchWithError` takes `error`
 * or `errorMessage`); Keycloak's exact wording per endpoint is **unverified**.
 *
 * @see /work/shared/reference/idp-apis.md §F
 */
import type { SimResponse } from '../shared/http-io.js';
import { groupJson, userJson, type KeycloakRealm, type SimKeycloakUser } from './directory.js';

/** The endpoint label of an admin path, for call counters (`GET /groups/{id}/members`). */
export function endpointOf(method: string, path: string): string {
  const template = path
    .replace(/^\/users\/(?!count$)[^/]+/, '/users/{id}')
    .replace(/^\/groups\/(?!count$)[^/]+/, '/groups/{id}');
  return `${method} ${template}`;
}

const notFound = (what: string): SimResponse => ({ status: 404, body: { error: what } });

/** Serves one admin request (`path` below the realm, trailing slash removed). */
export function serveAdmin(
  realm: KeycloakRealm,
  method: string,
  path: string,
  query: URLSearchParams,
): SimResponse {
  if (method !== 'GET') {
    return { status: 405, body: { error: 'RESTEASY003650: No resource method found' } };
  }
  const paging = pagingOf(query);
  if (paging === undefined) {
    return { status: 400, body: { error: 'invalid first or max' } };
  }
  if (path === '/users') {
    return { status: 200, body: page(findUsers(realm, query), paging).map(userJson) };
  }
  if (path === '/users/count') {
    return { status: 200, body: findUsers(realm, query).length };
  }
  const user = /^\/users\/([^/]+)(\/groups)?$/.exec(path);
  if (user?.[1] !== undefined) {
    const found = realm.users.get(decodeURIComponent(user[1]));
    if (found === undefined) {
      return notFound('User not found');
    }
    if (user[2] === undefined) {
      return { status: 200, body: userJson(found) };
    }
    const groups = [...realm.groups.values()]
      .filter(group => group.members.includes(found.id))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { status: 200, body: page(groups, paging).map(group => groupJson(realm, group)) };
  }
  if (path === '/groups') {
    const search = query.get('search')?.toLowerCase();
    const groups =
      search === undefined
        ? realm.topGroups()
        : [...realm.groups.values()].filter(group => group.name.toLowerCase().includes(search));
    return { status: 200, body: page(groups, paging).map(group => groupJson(realm, group)) };
  }
  if (path === '/groups/count') {
    const count = query.get('top') === 'true' ? realm.topGroups().length : realm.groups.size;
    return { status: 200, body: { count } };
  }
  const group = /^\/groups\/([^/]+)(\/children|\/members)?$/.exec(path);
  if (group?.[1] !== undefined) {
    const found = realm.groups.get(decodeURIComponent(group[1]));
    if (found === undefined) {
      return notFound('Could not find group by id');
    }
    switch (group[2]) {
      case undefined:
        return { status: 200, body: groupJson(realm, found) };
      case '/children': {
        const children = found.children.flatMap(id => {
          const child = realm.groups.get(id);
          return child === undefined ? [] : [child];
        });
        return { status: 200, body: page(children, paging).map(child => groupJson(realm, child)) };
      }
      default: {
        const members = found.members.flatMap(id => {
          const member = realm.users.get(id);
          return member === undefined ? [] : [member];
        });
        return { status: 200, body: page(members, paging).map(userJson) };
      }
    }
  }
  return { status: 404, body: { error: 'RESTEASY003210: Could not find resource for full path' } };
}

function pagingOf(query: URLSearchParams): { first: number; max: number } | undefined {
  const first = Number(query.get('first') ?? 0);
  const max = Number(query.get('max') ?? 100);
  if (!Number.isInteger(first) || !Number.isInteger(max) || first < 0) {
    return undefined;
  }
  // Keycloak treats a negative max as "no limit".
  return { first, max: max < 0 ? Number.MAX_SAFE_INTEGER : max };
}

function page<T>(items: readonly T[], paging: { first: number; max: number }): T[] {
  return items.slice(paging.first, paging.first + paging.max);
}

/** `username`, `email` (exact with `exact=true`, else substring), `search`; case-insensitive. */
function findUsers(realm: KeycloakRealm, query: URLSearchParams): SimKeycloakUser[] {
  const exact = query.get('exact') === 'true';
  const matches = (value: string | undefined, wanted: string | null) => {
    if (wanted === null) {
      return true;
    }
    const have = (value ?? '').toLowerCase();
    return exact ? have === wanted.toLowerCase() : have.includes(wanted.toLowerCase());
  };
  const search = query.get('search')?.toLowerCase().replace(/\*/g, '');
  return [...realm.users.values()]
    .filter(user => matches(user.username, query.get('username')))
    .filter(user => matches(user.email, query.get('email')))
    .filter(
      user =>
        search === undefined ||
        [user.username, user.email, user.firstName, user.lastName].some(field =>
          (field ?? '').toLowerCase().includes(search),
        ),
    )
    .sort((a, b) => a.username.localeCompare(b.username));
}
