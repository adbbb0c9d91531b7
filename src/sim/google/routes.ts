/**
 * The Directory API routes the simulator serves: users (list, get), groups (list) and members
 * (list, `includeDerivedMembership` too), each paged with an opaque `pageToken` and bounded by
 * Google's `maxResults` limits (users 500, groups and members 200).
 *
 * @see /work/shared/reference/idp-apis.md §E "Endpoints"
 */
import type { SimResponse } from '../shared/http-io.js';
import { groupJson, userJson, type GoogleDirectory, type SimGoogleGroup } from './directory.js';
import { googleError } from './errors.js';

/** The path prefix of the Directory API. */
export const directoryPrefix = '/admin/directory/v1';

export const userScope = 'https://www.googleapis.com/auth/admin.directory.user.readonly';
export const groupScope = 'https://www.googleapis.com/auth/admin.directory.group.readonly';

/** A Directory API request, authenticated already. */
export type DirectoryRequest = {
  readonly method: string;
  /** Path below {@link directoryPrefix}. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly scopes: readonly string[];
};

/** The endpoint label of a path, for call counters (`GET /users/{userKey}`). */
export function endpointOf(method: string, path: string): string {
  const template = path
    .replace(/^\/users\/[^/]+$/, '/users/{userKey}')
    .replace(/^\/groups\/[^/]+\/members$/, '/groups/{groupKey}/members');
  return `${method} ${template}`;
}

/** Serves one Directory API request. */
export function serveDirectory(directory: GoogleDirectory, request: DirectoryRequest): SimResponse {
  if (request.method !== 'GET') {
    return googleError(405, 'Method Not Allowed', 'methodNotAllowed');
  }
  const { path, query } = request;
  const has = (scope: string) =>
    request.scopes.includes(scope) || request.scopes.includes(scope.replace('.readonly', ''));
  const insufficient = googleError(
    403,
    'Request had insufficient authentication scopes.',
    'insufficientPermissions',
  );
  if (path === '/users') {
    if (!has(userScope)) {
      return insufficient;
    }
    const customer = checkCustomer(query);
    if (customer !== undefined) {
      return customer;
    }
    const users = [...directory.users.values()].sort((a, b) =>
      a.primaryEmail.localeCompare(b.primaryEmail),
    );
    return page(query, 500, 'users', 'admin#directory#users', users.map(userJson));
  }
  const user = /^\/users\/([^/]+)$/.exec(path);
  if (user?.[1] !== undefined) {
    if (!has(userScope)) {
      return insufficient;
    }
    const found = directory.findUser(decodeURIComponent(user[1]));
    return found === undefined
      ? googleError(404, 'Resource Not Found: userKey', 'notFound')
      : { status: 200, body: userJson(found) };
  }
  if (path === '/groups') {
    if (!has(groupScope)) {
      return insufficient;
    }
    const customer = checkCustomer(query);
    if (customer !== undefined) {
      return customer;
    }
    const groups = [...directory.groups.values()].sort((a, b) => a.email.localeCompare(b.email));
    return page(query, 200, 'groups', 'admin#directory#groups', groups.map(groupJson));
  }
  const members = /^\/groups\/([^/]+)\/members$/.exec(path);
  if (members?.[1] !== undefined) {
    if (!has(groupScope)) {
      return insufficient;
    }
    const group = directory.findGroup(decodeURIComponent(members[1]));
    if (group === undefined) {
      return googleError(404, 'Resource Not Found: groupKey', 'notFound');
    }
    const derived = query.get('includeDerivedMembership') === 'true';
    return page(
      query,
      200,
      'members',
      'admin#directory#members',
      membersOf(directory, group, derived),
    );
  }
  return googleError(404, 'Not Found', 'notFound');
}

function checkCustomer(query: URLSearchParams): SimResponse | undefined {
  if (!query.has('customer') && !query.has('domain')) {
    return googleError(400, 'Bad Request', 'badRequest');
  }
  return undefined;
}

function membersOf(
  directory: GoogleDirectory,
  group: SimGoogleGroup,
  derived: boolean,
): Record<string, unknown>[] {
  const json = (id: string, type: 'USER' | 'GROUP', role = 'MEMBER', delivery = true) => {
    const email =
      type === 'USER' ? directory.users.get(id)?.primaryEmail : directory.groups.get(id)?.email;
    const user = type === 'USER' ? directory.users.get(id) : undefined;
    return {
      kind: 'admin#directory#member',
      etag: `"${group.id}/${id}"`,
      id,
      email: email ?? '',
      role,
      type,
      ...(user === undefined ? {} : { status: user.suspended ? 'SUSPENDED' : 'ACTIVE' }),
      ...(delivery ? { delivery_settings: 'ALL_MAIL' } : {}),
    };
  };
  if (!derived) {
    return group.members.map(member => json(member.id, member.type, member.role));
  }
  // Indirect members too: users reached through nested groups, once each (cycles are fine).
  const result = group.members.map(member => json(member.id, member.type, member.role));
  const seenUsers = new Set(group.members.filter(m => m.type === 'USER').map(m => m.id));
  const seenGroups = new Set([group.id]);
  const queue = group.members.filter(m => m.type === 'GROUP').map(m => m.id);
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (seenGroups.has(id)) {
      continue;
    }
    seenGroups.add(id);
    for (const member of directory.groups.get(id)?.members ?? []) {
      if (member.type === 'GROUP') {
        queue.push(member.id);
      } else if (!seenUsers.has(member.id)) {
        seenUsers.add(member.id);
        result.push(json(member.id, 'USER', 'MEMBER', false));
      }
    }
  }
  return result;
}

/** One page of `items` (`maxResults` default 100 for users, 200 otherwise), Google style. */
function page(
  query: URLSearchParams,
  max: number,
  key: string,
  kind: string,
  items: readonly Record<string, unknown>[],
): SimResponse {
  const sizeText = query.get('maxResults');
  const size = sizeText === null ? Math.min(100, max) : Number(sizeText);
  if (!Number.isInteger(size) || size < 1 || size > max) {
    return googleError(
      400,
      `Invalid value '${sizeText ?? ''}'. Values must be within the range: [1, ${max}]`,
      'invalid',
    );
  }
  const token = query.get('pageToken');
  const offset = token === null || token === '' ? 0 : decodeToken(token, key);
  if (offset === undefined) {
    return googleError(400, 'Invalid Input: pageToken', 'invalid');
  }
  const slice = items.slice(offset, offset + size);
  const next = offset + size < items.length ? encodeToken(offset + size, key) : undefined;
  return {
    status: 200,
    body: {
      kind,
      etag: `"sim-${key}-${offset}"`,
      ...(slice.length > 0 ? { [key]: slice } : {}),
      ...(next === undefined ? {} : { nextPageToken: next }),
    },
  };
}

function encodeToken(offset: number, key: string): string {
  return Buffer.from(JSON.stringify({ o: offset, k: key })).toString('base64url');
}

function decodeToken(token: string, key: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      o?: unknown;
      k?: unknown;
    };
    return typeof parsed.o === 'number' &&
      Number.isInteger(parsed.o) &&
      parsed.o >= 0 &&
      parsed.k === key
      ? parsed.o
      : undefined;
  } catch {
    return undefined;
  }
}
