/**
 * `/groups` routes: list, get, direct members and transitive members (flattened through nested
 * groups, de-duplicated, cycle-safe), each with the `microsoft.graph.user`/`.group` casts.
 */
import { directMembers, findGroup, listGroups, type DirectoryState } from '../directory/state.js';
import { transitiveMembers } from '../directory/walk.js';
import type { MemberType } from '../model.js';
import { GROUP_READ, listContext, ok, type GraphRoute } from './context.js';
import { GROUP_KIND, USER_KIND } from './kinds.js';
import { getRoute, listRoute, orNotFound } from './object-routes.js';
import { parseListQuery, type ListSpec } from './odata.js';
import { listPage } from './paging.js';
import {
  GROUP_DEFAULT,
  GROUP_PROPS,
  groupRecord,
  project,
  USER_DEFAULT,
  USER_PROPS,
  userRecord,
} from './serialize.js';

type Member = { id: string; type: MemberType };

/** The record of a member, typed for `@odata.type` and projection. */
function memberRecord(state: DirectoryState, member: Member): Record<string, unknown> {
  const object = member.type === 'user' ? state.users.get(member.id) : state.groups.get(member.id);
  if (!object) {
    return { id: member.id };
  }
  return 'userPrincipalName' in object ? userRecord(object) : groupRecord(object);
}

function specFor(cast: MemberType | undefined): ListSpec {
  if (cast === 'group') {
    return GROUP_KIND.spec;
  }
  if (cast === 'user') {
    return USER_KIND.spec;
  }
  return {
    type: 'microsoft.graph.directoryObject',
    resource: 'DirectoryObject',
    props: [...new Set([...USER_PROPS, ...GROUP_PROPS])],
    filterable: ['id', 'displayName', 'mail'],
  };
}

function membersRoute(suffix: string, transitive: boolean, cast?: MemberType): GraphRoute {
  return {
    method: 'GET',
    pattern: `/groups/{id}/${suffix}`,
    // groups/{id}/members costs 3 and transitiveMembers 5 (§A); casts are the same request.
    cost: transitive ? 5 : 3,
    roles: GROUP_READ,
    handle: (req, ctx) => {
      const { state } = ctx.directory;
      const id = req.params['id'] ?? '';
      const group = orNotFound(findGroup(state, id), id);
      const q = parseListQuery(req.query, req.headers, specFor(cast));
      const all = transitive ? transitiveMembers(state, group.id) : directMembers(state, group.id);
      const members = all
        .filter(m => cast === undefined || m.type === cast)
        .filter(m => !q.filter || q.filter.test(memberRecord(state, m)));
      const set = cast === 'user' ? 'users' : cast === 'group' ? 'groups' : 'directoryObjects';
      return ok(
        listPage(members, q, listContext(req, ctx, set, q.select), m => {
          const defaults = m.type === 'user' ? USER_DEFAULT : GROUP_DEFAULT;
          const body = project(memberRecord(state, m), q.select, defaults);
          // Untyped directoryObject lists say what each entry is. Cast lists (`/microsoft.graph.user`)
          // leave `@odata.type` out as OData minimal metadata does for the declared type
          // (UNVERIFIED against a live tenant).
          return cast ? body : { '@odata.type': `#microsoft.graph.${m.type}`, ...body };
        }),
      );
    },
  };
}

/** The `/groups` family. */
export const groupRoutes: readonly GraphRoute[] = [
  listRoute(GROUP_KIND, { pattern: '/groups', cost: 1, roles: GROUP_READ, items: listGroups }),
  getRoute(GROUP_KIND, { pattern: '/groups/{id}', cost: 1, roles: GROUP_READ, find: findGroup }),
  membersRoute('members', false),
  membersRoute('members/microsoft.graph.user', false, 'user'),
  membersRoute('members/microsoft.graph.group', false, 'group'),
  membersRoute('transitiveMembers', true),
  membersRoute('transitiveMembers/microsoft.graph.user', true, 'user'),
  membersRoute('transitiveMembers/microsoft.graph.group', true, 'group'),
  listRoute(GROUP_KIND, {
    pattern: '/directory/deletedItems/microsoft.graph.group',
    cost: 1,
    roles: GROUP_READ,
    items: state => listGroups(state, true),
  }),
];
