/**
 * `/servicePrincipals` routes: list (filter by `appId`), get, and `appRoleAssignedTo` (the users
 * and groups assigned to the enterprise application), paged like every directory list.
 */
import { findGroup, findUser } from '../directory/state.js';
import type { SimAppRoleAssignment, SimServicePrincipal } from '../model.js';
import { APP_READ, contextUrl, listContext, ok, type GraphRoute } from './context.js';
import { notFound } from './errors.js';
import { parseListQuery, parseSelect, refuseUnsupported, type ListSpec } from './odata.js';
import { listPage } from './paging.js';
import { FILTERABLE, project, servicePrincipalRecord, SP_PROPS } from './serialize.js';

const SP_SPEC: ListSpec = {
  type: 'microsoft.graph.servicePrincipal',
  resource: 'ServicePrincipal',
  props: SP_PROPS,
  filterable: FILTERABLE.ServicePrincipal,
};

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
  {
    method: 'GET',
    pattern: '/servicePrincipals',
    cost: 1,
    roles: APP_READ,
    handle: (req, ctx) => {
      const q = parseListQuery(req.query, req.headers, SP_SPEC);
      const all = [...ctx.directory.state.servicePrincipals.values()].sort((a, b) =>
        a.id < b.id ? -1 : 1,
      );
      const sps = all.filter(sp => !q.filter || q.filter.test(servicePrincipalRecord(sp)));
      return ok(
        listPage(
          sps,
          q,
          listContext(req, ctx, 'servicePrincipals', q.select),
          (sp: SimServicePrincipal) => project(servicePrincipalRecord(sp), q.select, SP_PROPS),
        ),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/servicePrincipals/{id}',
    cost: 1,
    roles: APP_READ,
    handle: (req, ctx) => {
      refuseUnsupported(req.query, ['$select']);
      const sp = ctx.directory.state.servicePrincipals.get(req.params['id'] ?? '');
      if (!sp) {
        throw notFound(req.params['id'] ?? '');
      }
      const select = parseSelect(req.query, SP_PROPS, SP_SPEC.type);
      return ok({
        '@odata.context': `${contextUrl(ctx, 'servicePrincipals', select)}/$entity`,
        ...project(servicePrincipalRecord(sp), select, SP_PROPS),
      });
    },
  },
  {
    method: 'GET',
    pattern: '/servicePrincipals/{id}/appRoleAssignedTo',
    cost: 1,
    roles: APP_READ,
    handle: (req, ctx) => {
      const id = req.params['id'] ?? '';
      const list = ctx.directory.state.assignments.get(id);
      if (!list) {
        throw notFound(id);
      }
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
