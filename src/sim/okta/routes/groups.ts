/**
 * The Groups API: list (`filter` on `id`, `type`, `lastUpdated`, `lastMembershipUpdated`, and
 * `q` on the name), get, members (deactivated users included: Okta keeps them in their groups),
 * and the membership and profile writes an admin would use. Only `OKTA_GROUP` memberships and
 * profiles can be changed through the API.
 *
 * @see /work/shared/reference/idp-apis.md §C "Endpoints", "Paging"
 */
import { z } from 'zod';

import { compileFilter, type FilterAttribute } from '../filter.js';
import { OktaError } from '../errors.js';
import { groupJson, userJson } from '../okta-json.js';
import { pageOf } from '../paging.js';
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

/** `search` also reaches profile attributes (`sw`, `eq`, `co`). */
const searchAttributes: Record<string, FilterAttribute<SimGroup>> = {
  ...filterAttributes,
  'profile.name': { kind: 'string', get: g => g.profile.name, ops: ['sw', 'co'] },
  'profile.description': { kind: 'string', get: g => g.profile.description, ops: ['sw', 'co'] },
};

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const groupBodySchema = z.object({
  profile: z.object({ name: z.string().min(1), description: z.string().nullable().optional() }),
});

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
      const query = url.searchParams;
      const filter = query.get('filter');
      const search = query.get('search');
      const q = query.get('q');
      let groups = [...directory.groups.values()];
      if (filter !== null) {
        groups = groups.filter(compileFilter(filter, filterAttributes));
      } else if (search !== null) {
        groups = groups.filter(compileFilter(search, searchAttributes));
      }
      if (q !== null) {
        const folded = q.toLowerCase();
        groups = groups.filter(g => g.profile.name.toLowerCase().startsWith(folded));
      }
      const page = pageOf(groups.sort(byId), g => g.id, url, orgUrl, {
        defaultLimit: 10000,
        maxLimit: 10000,
      });
      return ok(
        page.items.map(g => groupJson(g, orgUrl)),
        { link: page.links },
      );
    },
  },
  {
    method: 'POST',
    pattern: '/api/v1/groups',
    scope: 'okta.groups.manage',
    handle({ directory, body, orgUrl }) {
      const parsed = groupBodySchema.safeParse(body);
      if (!parsed.success) {
        throw new OktaError('E0000001', undefined, ['profile.name: is required']);
      }
      const { name, description } = parsed.data.profile;
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
      const parsed = groupBodySchema.safeParse(body);
      if (!parsed.success) {
        throw new OktaError('E0000001', undefined, ['profile.name: is required']);
      }
      const { name, description } = parsed.data.profile;
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
      // Default 1000 "for historical reasons"; Okta recommends limit=200.
      const page = pageOf(members, u => u.id, url, orgUrl, {
        defaultLimit: 1000,
        maxLimit: 10000,
      });
      return ok(
        page.items.map(u => userJson(u, orgUrl)),
        { link: page.links },
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
