/**
 * `/servicePrincipals` routes: list (filter by `appId`), get, and `appRoleAssignedTo` (the users
 * and groups assigned to the enterprise application), paged like every directory list.
 */
import { findGroup, findUser } from '../directory/state.js';
import type { SimAppRoleAssignment } from '../model.js';
import { APP_READ, listContext, ok, type GraphRoute } from './context.js';
import { SERVICE_PRINCIPAL_KIND } from './kinds.js';
import { getRoute, listRoute, orNotFound } from './object-routes.js';
import { parseListQuery, type ListSpec } from './odata.js';
import { listPage } from './paging.js';
import { project } from './serialize.js';

const ASSIGNMENT_PROPS = [
  'id',
  'deletedDateTime',
  'appRoleId',
  'createdDateTime',
  'principalDisplayName',
  'principalId',
  'principalType',
  'resourceDisplayName',
  'resourceId',
] as const;

const ASSIGNMENT_SPEC: ListSpec = {
  type: 'microsoft.graph.appRoleAssignment',
  resource: 'AppRoleAssignment',
  props: ASSIGNMENT_PROPS,
  filterable: ['principalId', 'principalType', 'appRoleId'],
};

/** The `/servicePrincipals` family. */
export const servicePrincipalRoutes: readonly GraphRoute[] = [
  listRoute(SERVICE_PRINCIPAL_KIND, {
    pattern: '/servicePrincipals',
    cost: 1,
    roles: APP_READ,
    items: state => [...state.servicePrincipals.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
  }),
  getRoute(SERVICE_PRINCIPAL_KIND, {
    pattern: '/servicePrincipals/{id}',
    cost: 1,
    roles: APP_READ,
    find: (state, id) => state.servicePrincipals.get(id),
  }),
  {
    method: 'GET',
    pattern: '/servicePrincipals/{id}/appRoleAssignedTo',
    cost: 1,
    roles: APP_READ,
    handle: (req, ctx) => {
      const id = req.params['id'] ?? '';
      const list = orNotFound(ctx.directory.state.assignments.get(id), id);
      const q = parseListQuery(req.query, req.headers, ASSIGNMENT_SPEC);
      const { state } = ctx.directory;
      // Assignments of soft-deleted principals are hidden until the principal is restored.
      const live = (a: SimAppRoleAssignment): boolean =>
        a.principalType === 'Group'
          ? findGroup(state, a.principalId) !== undefined
          : findUser(state, a.principalId) !== undefined;
      const sorted = [...list]
        .filter(live)
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .filter(a => !q.filter || q.filter.test(a));
      const context = `servicePrincipals('${id}')/appRoleAssignedTo`;
      return ok(
        listPage(sorted, q, listContext(req, ctx, context, q.select), (a: SimAppRoleAssignment) =>
          project({ ...a }, q.select, ASSIGNMENT_PROPS),
        ),
      );
    },
  },
];
