/**
 * `/users` routes: list, get by id or UPN, group memberships (direct and transitive, with the
 * `microsoft.graph.group` cast) and soft-deleted users under `directory/deletedItems`.
 */
import { findUser, listUsers } from '../directory/state.js';
import { directMemberOf, transitiveMemberOf } from '../directory/walk.js';
import type { SimGroup } from '../model.js';
import { contextUrl, GROUP_READ, listContext, ok, USER_READ, type GraphRoute } from './context.js';
import { notFound } from './errors.js';
import { parseListQuery, parseSelect, refuseUnsupported, type ListSpec } from './odata.js';
import { listPage } from './paging.js';
import {
  FILTERABLE,
  GROUP_DEFAULT,
  GROUP_PROPS,
  groupRecord,
  project,
  USER_DEFAULT,
  USER_PROPS,
  userRecord,
} from './serialize.js';

const USER_SPEC: ListSpec = {
  type: 'microsoft.graph.user',
  resource: 'User',
  props: USER_PROPS,
  filterable: FILTERABLE.User,
};
const GROUP_SPEC: ListSpec = {
  type: 'microsoft.graph.group',
  resource: 'Group',
  props: GROUP_PROPS,
  filterable: FILTERABLE.Group,
};

function memberOfRoute(pattern: string, transitive: boolean, cast: boolean): GraphRoute {
  return {
    method: 'GET',
    pattern,
    cost: 2, // me/memberOf and me/transitiveMemberOf cost 2, and so do users/{id}/… (§A)
    roles: GROUP_READ,
    handle: (req, ctx) => {
      const { state } = ctx.directory;
      const user = findUser(state, req.params['id'] ?? '');
      if (!user) {
        throw notFound(req.params['id'] ?? '');
      }
      const q = parseListQuery(req.query, req.headers, GROUP_SPEC);
      const ids = transitive ? transitiveMemberOf(state, user.id) : directMemberOf(state, user.id);
      const groups = ids
        .map(id => state.groups.get(id))
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
  {
    method: 'GET',
    pattern: '/users',
    cost: 2,
    roles: USER_READ,
    handle: (req, ctx) => {
      const q = parseListQuery(req.query, req.headers, USER_SPEC);
      const users = listUsers(ctx.directory.state).filter(
        u => !q.filter || q.filter.test(userRecord(u)),
      );
      return ok(
        listPage(users, q, listContext(req, ctx, 'users', q.select), u =>
          project(userRecord(u), q.select, USER_DEFAULT),
        ),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/users/{id}',
    cost: 1,
    roles: USER_READ,
    handle: (req, ctx) => {
      refuseUnsupported(req.query, ['$select']);
      const user = findUser(ctx.directory.state, req.params['id'] ?? '');
      if (!user) {
        throw notFound(req.params['id'] ?? '');
      }
      const select = parseSelect(req.query, USER_PROPS, USER_SPEC.type);
      return ok({
        '@odata.context': `${contextUrl(ctx, 'users', select)}/$entity`,
        ...project(userRecord(user), select, USER_DEFAULT),
      });
    },
  },
  memberOfRoute('/users/{id}/memberOf', false, false),
  memberOfRoute('/users/{id}/memberOf/microsoft.graph.group', false, true),
  memberOfRoute('/users/{id}/transitiveMemberOf', true, false),
  memberOfRoute('/users/{id}/transitiveMemberOf/microsoft.graph.group', true, true),
  {
    method: 'GET',
    pattern: '/directory/deletedItems/microsoft.graph.user',
    cost: 1,
    roles: USER_READ,
    handle: (req, ctx) => {
      const q = parseListQuery(req.query, req.headers, USER_SPEC);
      const users = listUsers(ctx.directory.state, true).filter(
        u => !q.filter || q.filter.test(userRecord(u)),
      );
      return ok(
        listPage(users, q, listContext(req, ctx, 'users', q.select), u =>
          project(userRecord(u), q.select, [...USER_DEFAULT, 'deletedDateTime']),
        ),
      );
    },
  },
];
