/**
 * The kinds of directory object the Graph routes serve: their list options, entity sets, wire
 * records and default properties, defined once for every route that returns them.
 */
import type { SimGroup, SimServicePrincipal, SimUser } from '../model.js';
import type { ObjectKind } from './object-routes.js';
import {
  FILTERABLE,
  GROUP_DEFAULT,
  GROUP_PROPS,
  groupRecord,
  servicePrincipalRecord,
  SP_PROPS,
  USER_DEFAULT,
  USER_PROPS,
  userRecord,
} from './serialize.js';

/** Users (`microsoft.graph.user`). */
export const USER_KIND: ObjectKind<SimUser> = {
  spec: {
    type: 'microsoft.graph.user',
    resource: 'User',
    props: USER_PROPS,
    filterable: FILTERABLE.User,
  },
  entitySet: 'users',
  record: userRecord,
  defaults: USER_DEFAULT,
};

/** Groups (`microsoft.graph.group`). */
export const GROUP_KIND: ObjectKind<SimGroup> = {
  spec: {
    type: 'microsoft.graph.group',
    resource: 'Group',
    props: GROUP_PROPS,
    filterable: FILTERABLE.Group,
  },
  entitySet: 'groups',
  record: groupRecord,
  defaults: GROUP_DEFAULT,
};

/** Service principals; every selectable property is a default one. */
export const SERVICE_PRINCIPAL_KIND: ObjectKind<SimServicePrincipal> = {
  spec: {
    type: 'microsoft.graph.servicePrincipal',
    resource: 'ServicePrincipal',
    props: SP_PROPS,
    filterable: FILTERABLE.ServicePrincipal,
  },
  entitySet: 'servicePrincipals',
  record: servicePrincipalRecord,
  defaults: SP_PROPS,
};
