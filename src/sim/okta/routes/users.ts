/**
 * The Users API: list (`filter`, `search`, `q`), get by id or login, a user's groups, and the
 * lifecycle writes an admin would use to change the org between syncs.
 *
 * An unfiltered list omits `DEPROVISIONED` users; `filter` and `search` results include them.
 *
 * @see /work/shared/reference/idp-apis.md §C "Endpoints", "Deletion / disabled"
 */
import { z } from 'zod';

import { filterOrSearch, type FilterAttribute, type ListFilters } from '../filter.js';
import { OktaError } from '../errors.js';
import { groupJson, userJson } from '../okta-json.js';
import { byId, okPage } from '../paging.js';
import { noContent, ok, type Route } from '../router.js';
import type { SimUser } from '../types.js';

const profileAttribute = (
  key: 'login' | 'email' | 'firstName' | 'lastName',
): FilterAttribute<SimUser> => ({ kind: 'string', get: u => u.profile[key], ops: ['sw'] });

/** What `filter` accepts for users (Okta: `status`, `lastUpdated`, `id`, profile names). */
const filterAttributes: Record<string, FilterAttribute<SimUser>> = {
  status: { kind: 'string', get: u => u.status, ops: [] },
  id: { kind: 'string', get: u => u.id, ops: [] },
  lastUpdated: { kind: 'timestamp', get: u => u.lastUpdated, ops: ['gt', 'ge', 'lt', 'le'] },
  'profile.login': profileAttribute('login'),
  'profile.email': profileAttribute('email'),
  'profile.firstName': profileAttribute('firstName'),
  'profile.lastName': profileAttribute('lastName'),
};

/** `filter`, and `search` with more operators and timestamps (a subset of Okta's SCIM-like search). */
const listFilters: ListFilters<SimUser> = {
  filter: filterAttributes,
  search: {
    ...filterAttributes,
    status: { kind: 'string', get: u => u.status, ops: ['ne', 'pr'] },
    created: { kind: 'timestamp', get: u => u.created, ops: ['gt', 'ge', 'lt', 'le'] },
    statusChanged: { kind: 'timestamp', get: u => u.statusChanged, ops: ['gt', 'ge', 'lt', 'le'] },
  },
};

/** The unfiltered list: no `DEPROVISIONED` users, and `q` narrows it without paging. */
function unfilteredUsers(users: readonly SimUser[], query: URLSearchParams): SimUser[] {
  const listed = users.filter(u => u.status !== 'DEPROVISIONED');
  const q = query.get('q');
  if (q === null) {
    return listed;
  }
  // `q` matches the start of first name, last name or e-mail.
  const folded = q.toLowerCase();
  return listed
    .filter(u =>
      [u.profile.firstName, u.profile.lastName, u.profile.email].some(v =>
        v?.toLowerCase().startsWith(folded),
      ),
    )
    .slice(0, Number.parseInt(query.get('limit') ?? '10', 10) || 10);
}

const profilePatchSchema = z.object({
  profile: z
    .object({
      login: z.string().min(1).optional(),
      email: z.string().min(1).optional(),
      firstName: z.string().nullable().optional(),
      lastName: z.string().nullable().optional(),
      displayName: z.string().optional(),
    })
    .default({}),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new OktaError(
      'E0000001',
      undefined,
      parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`),
    );
  }
  return parsed.data;
}

/** The Users API routes. */
export const userRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: '/api/v1/users',
    scope: 'okta.users.read',
    handle({ directory, url, orgUrl }) {
      const all = [...directory.users.values()];
      const users =
        filterOrSearch(all, url.searchParams, listFilters) ??
        unfilteredUsers(all, url.searchParams);
      return okPage(
        users.sort(byId),
        { url, orgUrl },
        {
          idOf: u => u.id,
          limits: { defaultLimit: 200, maxLimit: 200 },
          render: u => userJson(u, orgUrl),
        },
      );
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/users/:idOrLogin',
    scope: 'okta.users.read',
    handle({ directory, params, orgUrl }) {
      const subject = params['idOrLogin'] ?? '';
      const user = directory.findUser(subject);
      if (user === undefined) {
        throw new OktaError('E0000007', `Not found: Resource not found: ${subject} (User)`);
      }
      return ok(userJson(user, orgUrl));
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/users/:userId/groups',
    scope: 'okta.users.read',
    handle({ directory, params, orgUrl }) {
      const groups = directory.groupsOf(params['userId'] ?? '');
      return ok(groups.map(g => groupJson(g, orgUrl)));
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/users/:userId',
    scope: 'okta.users.manage',
    handle({ directory, params, body, orgUrl }) {
      const { profile } = parseBody(profilePatchSchema, body);
      return ok(userJson(directory.updateProfile(params['userId'] ?? '', profile), orgUrl));
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/users/:userId/lifecycle/:action',
    scope: 'okta.users.manage',
    handle({ directory, params }) {
      const id = params['userId'] ?? '';
      switch (params['action']) {
        case 'suspend':
          directory.suspend(id);
          break;
        case 'unsuspend':
          directory.unsuspend(id);
          break;
        case 'deactivate':
          directory.deactivate(id);
          break;
        case 'activate':
        case 'reactivate':
          directory.activate(id);
          break;
        default:
          throw new OktaError('E0000022');
      }
      return ok({});
    },
  },
  {
    method: 'DELETE',
    pattern: '/api/v1/users/:userId',
    scope: 'okta.users.manage',
    handle({ directory, params }) {
      directory.deleteUser(params['userId'] ?? '');
      return noContent();
    },
  },
];
