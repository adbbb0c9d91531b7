/**
 * `/users` routes: list, get by id or UPN, group memberships (direct and transitive, with the
 * `microsoft.graph.group` cast) and soft-deleted users under `directory/deletedItems`.
 */
import { findUser, listUsers } from '../directory/state.js';
import { directMemberOf, transitiveMemberOf } from '../directory/walk.js';
import type { SimGroup } from '../model.js';
import { GROUP_READ, listContext, ok, USER_READ, type GraphRoute } from './context.js';
import { GROUP_KIND, USER_KIND } from './kinds.js';
import { getRoute, listRoute, orNotFound } from './object-routes.js';
import { parseListQuery } from './odata.js';
import { listPage } from './paging.js';
import { GROUP_DEFAULT, groupRecord, project, USER_DEFAULT } from './serialize.js';

function memberOfRoute(pattern: string, transitive: boolean, cast: boolean): GraphRoute {
  return {
    method: 'GET',
    pattern,
    cost: 2, // me/memberOf and me/transitiveMemberOf cost 2, and so do users/{id}/… (§A)
    roles: GROUP_READ,
    handle: (req, ctx) => {
      const { state } = ctx.directory;
      const id = req.params['id'] ?? '';
      const user = orNotFound(findUser(state, id), id);
      const q = parseListQuery(req.query, req.headers, GROUP_KIND.spec);
      const ids = transitive ? transitiveMemberOf(state, user.id) : directMemberOf(state, user.id);
      const groups = ids
        .map(groupId => state.groups.get(groupId))
        .filter((g): g is SimGroup => g !== undefined)
        .filter(g => !q.filter || q.filter.test(groupRecord(g)));
      const set = cast ? 'groups' : 'directoryObjects';
      return ok(
        listPage(
          groups,
          q,
          listContext(req, ctx, set, q.select),
          // Cast segments return plain groups; untyped directoryObject lists carry @odata.type.
          g => ({
            ...(cast ? {} : { '@odata.type': '#microsoft.graph.group' }),
            ...project(groupRecord(g), q.select, GROUP_DEFAULT),
          }),
        ),
      );
    },
  };
}

/** The `/users` family. */
export const userRoutes: readonly GraphRoute[] = [
  listRoute(USER_KIND, { pattern: '/users', cost: 2, roles: USER_READ, items: listUsers }),
  getRoute(USER_KIND, { pattern: '/users/{id}', cost: 1, roles: USER_READ, find: findUser }),
  memberOfRoute('/users/{id}/memberOf', false, false),
  memberOfRoute('/users/{id}/memberOf/microsoft.graph.group', false, true),
  memberOfRoute('/users/{id}/transitiveMemberOf', true, false),
  memberOfRoute('/users/{id}/transitiveMemberOf/microsoft.graph.group', true, true),
  listRoute(USER_KIND, {
    pattern: '/directory/deletedItems/microsoft.graph.user',
    cost: 1,
    roles: USER_READ,
    items: state => listUsers(state, true),
    defaults: [...USER_DEFAULT, 'deletedDateTime'],
  }),
];
