/**
 * The Groups API: list (`filter` on `id`, `type`, `lastUpdated`, `lastMembershipUpdated`, and
 * `q` on the name), get, members (deactivated users included: Okta keeps them in their groups),
 * and the membership and profile writes an admin would use. Only `OKTA_GROUP` memberships and
 * profiles can be changed through the API.
 *
 * @see /work/shared/reference/idp-apis.md §C "Endpoints", "Paging"
 */
import { z } from 'zod';

import { filterOrSearch, type FilterAttribute, type ListFilters } from '../filter.js';
import { OktaError } from '../errors.js';
import { groupJson, userJson } from '../okta-json.js';
import { byId, okPage } from '../paging.js';
import { noContent, ok, type Route } from '../router.js';
import type { SimGroup } from '../types.js';

const timestampOps = ['gt', 'ge', 'lt', 'le'] as const;

/** What `filter` accepts for groups. */
const filterAttributes: Record<string, FilterAttribute<SimGroup>> = {
  id: { kind: 'string', get: g => g.id, ops: [] },
  type: { kind: 'string', get: g => g.type, ops: [] },
  lastUpdated: { kind: 'timestamp', get: g => g.lastUpdated, ops: timestampOps },
  lastMembershipUpdated: {
    kind: 'timestamp',
    get: g => g.lastMembershipUpdated,
    ops: timestampOps,
  },
};

/** `filter`, and `search`, which also reaches profile attributes (`sw`, `eq`, `co`). */
const listFilters: ListFilters<SimGroup> = {
  filter: filterAttributes,
  search: {
    ...filterAttributes,
    'profile.name': { kind: 'string', get: g => g.profile.name, ops: ['sw', 'co'] },
    'profile.description': { kind: 'string', get: g => g.profile.description, ops: ['sw', 'co'] },
  },
};

const groupBodySchema = z.object({
  profile: z.object({ name: z.string().min(1), description: z.string().nullable().optional() }),
});

/** The profile of a create or update body; Okta names only the missing `name`. */
function groupProfile(body: unknown): { name: string; description?: string | null | undefined } {
  const parsed = groupBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new OktaError('E0000001', undefined, ['profile.name: is required']);
  }
  return parsed.data.profile;
}

function writable(group: SimGroup): SimGroup {
  if (group.type !== 'OKTA_GROUP') {
    throw new OktaError('E0000006', undefined, [
      `You can only modify groups of type OKTA_GROUP; ${group.id} is ${group.type}.`,
    ]);
  }
  return group;
}

/** The Groups API routes. */
export const groupRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: '/api/v1/groups',
    scope: 'okta.groups.read',
    handle({ directory, url, orgUrl }) {
      const all = [...directory.groups.values()];
      let groups = filterOrSearch(all, url.searchParams, listFilters) ?? all;
      const q = url.searchParams.get('q');
      if (q !== null) {
        const folded = q.toLowerCase();
        groups = groups.filter(g => g.profile.name.toLowerCase().startsWith(folded));
      }
      return okPage(
        groups.sort(byId),
        { url, orgUrl },
        {
          idOf: g => g.id,
          limits: { defaultLimit: 10000, maxLimit: 10000 },
          render: g => groupJson(g, orgUrl),
        },
      );
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/groups',
    scope: 'okta.groups.manage',
    handle({ directory, body, orgUrl }) {
      const { name, description } = groupProfile(body);
      return ok(groupJson(directory.createGroup({ name, description }), orgUrl));
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/groups/:groupId',
    scope: 'okta.groups.read',
    handle: ({ directory, params, orgUrl }) =>
      ok(groupJson(directory.group(params['groupId'] ?? ''), orgUrl)),
  },
  {
    method: 'PUT',
    pattern: '/api/v1/groups/:groupId',
    scope: 'okta.groups.manage',
    handle({ directory, params, body, orgUrl }) {
      const group = writable(directory.group(params['groupId'] ?? ''));
      const { name, description } = groupProfile(body);
      return ok(groupJson(directory.renameGroup(group.id, name, description), orgUrl));
    },
  },
  {
    method: 'DELETE',
    pattern: '/api/v1/groups/:groupId',
    scope: 'okta.groups.manage',
    handle({ directory, params }) {
      directory.deleteGroup(params['groupId'] ?? '');
      return noContent();
    },
  },
  {
    method: 'GET',
    pattern: '/api/v1/groups/:groupId/users',
    scope: 'okta.groups.read',
    handle({ directory, params, url, orgUrl }) {
      const members = directory.membersOf(params['groupId'] ?? '');
      return okPage(
        members,
        { url, orgUrl },
        {
          idOf: u => u.id,
          // Default 1000 "for historical reasons"; Okta recommends limit=200.
          limits: { defaultLimit: 1000, maxLimit: 10000 },
          render: u => userJson(u, orgUrl),
        },
      );
    },
  },
  {
    method: 'PUT',
    pattern: '/api/v1/groups/:groupId/users/:userId',
    scope: 'okta.groups.manage',
    handle({ directory, params }) {
      const group = writable(directory.group(params['groupId'] ?? ''));
      directory.addMember(group.id, params['userId'] ?? '');
      return noContent();
    },
  },
  {
    method: 'DELETE',
    pattern: '/api/v1/groups/:groupId/users/:userId',
    scope: 'okta.groups.manage',
    handle({ directory, params }) {
      const group = writable(directory.group(params['groupId'] ?? ''));
      directory.removeMember(group.id, params['userId'] ?? '');
      return noContent();
    },
  },
];
