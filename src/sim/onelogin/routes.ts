/**
 * The API v2 routes the simulator serves, over the in-memory account, with v2 cursor paging:
 * `limit` (max 100) and `cursor`, answered through `After-Cursor` / `Before-Cursor` (absent on
 * the last / first page), `Total-Count`, `Total-Pages`, `Current-Page` and `Page-Items`.
 * Authentication, the rate limit and faults are applied before these run.
 */
import type { SimResponse } from '../shared/http-io.js';
import { userJson, type Account } from './account.js';
import { v2Error } from './errors.js';

/** Largest `limit`. */
export const maxLimit = 100;

/** Route templates, for call counters: `GET /api/2/roles/{id}/users`. */
export function routeTemplate(method: string, path: string): string {
  return `${method} ${path.replace(/\/(users|roles)\/\d+(?=\/|$)/g, '/$1/{id}')}`;
}

/** Serves one `/api/2/*` request. */
export function serveApi(
  account: Account,
  method: string,
  path: string,
  query: URLSearchParams,
): SimResponse {
  if (method !== 'GET') {
    return v2Error(405, 'Method not allowed');
  }
  const users = /^\/api\/2\/users(?:\/(\d+))?$/.exec(path);
  if (users !== null) {
    if (users[1] !== undefined) {
      const user = account.users.get(Number(users[1]));
      return user === undefined
        ? v2Error(404, 'User not found')
        : { status: 200, body: userJson(account, user) };
    }
    return page(filterUsers(account, query), query, user => userJson(account, user));
  }
  if (path === '/api/2/roles') {
    const name = query.get('name')?.toLowerCase();
    const roles = [...account.roles.values()].filter(
      role => name === undefined || role.name.toLowerCase().includes(name),
    );
    return page(roles, query, role => ({ id: role.id, name: role.name }));
  }
  const roleUsers = /^\/api\/2\/roles\/(\d+)\/users$/.exec(path);
  if (roleUsers !== null) {
    const role = account.roles.get(Number(roleUsers[1]));
    if (role === undefined) {
      return v2Error(404, 'Role not found');
    }
    const members = [...role.members].flatMap(id => {
      const user = account.users.get(id);
      return user === undefined ? [] : [user];
    });
    return page(members, query, user => ({
      id: user.id,
      name: [user.firstname, user.lastname].filter(Boolean).join(' '),
      username: user.username,
      email: user.email,
      assigned: true,
    }));
  }
  return v2Error(404, 'Not found');
}

/** `email`, `username` (exact, case-insensitive — UNVERIFIED) and `updated_since` filters. */
function filterUsers(account: Account, query: URLSearchParams) {
  const email = query.get('email')?.toLowerCase();
  const username = query.get('username')?.toLowerCase();
  const since = query.get('updated_since');
  const sinceMs = since === null ? undefined : Date.parse(since);
  return [...account.users.values()].filter(
    user =>
      (email === undefined || user.email?.toLowerCase() === email) &&
      (username === undefined || user.username?.toLowerCase() === username) &&
      (sinceMs === undefined || Date.parse(user.updated_at) >= sinceMs),
  );
}

function page<T>(
  items: readonly T[],
  query: URLSearchParams,
  toJson: (item: T) => unknown,
): SimResponse {
  const limitText = query.get('limit');
  const limit = limitText === null ? 50 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    return v2Error(400, `limit must be between 1 and ${maxLimit}`);
  }
  const cursor = query.get('cursor');
  const start = cursor === null || cursor === '' ? 0 : decodeCursor(cursor);
  if (start === undefined) {
    return v2Error(400, 'Invalid cursor');
  }
  const slice = items.slice(start, start + limit);
  const totalPages = Math.max(1, Math.ceil(items.length / limit));
  const headers: Record<string, string> = {
    'total-count': String(items.length),
    'total-pages': String(totalPages),
    'current-page': String(Math.floor(start / limit) + 1),
    'page-items': String(limit),
  };
  if (start + limit < items.length) {
    headers['after-cursor'] = encodeCursor(start + limit);
  }
  if (start > 0) {
    headers['before-cursor'] = encodeCursor(Math.max(0, start - limit));
  }
  return { status: 200, body: slice.map(toJson), headers };
}

function encodeCursor(index: number): string {
  return Buffer.from(JSON.stringify({ offset: index })).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      offset?: unknown;
    };
    return typeof value.offset === 'number' && Number.isInteger(value.offset) && value.offset >= 0
      ? value.offset
      : undefined;
  } catch {
    return undefined;
  }
}
