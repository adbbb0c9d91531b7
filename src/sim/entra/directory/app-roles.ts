/**
 * Service principals and their app role assignments (`appRoleAssignedTo`): which users and
 * groups were assigned to an enterprise application. The default-access role id is all zeros,
 * as Entra uses for apps that expose no roles.
 */
import type { Prng } from '../../shared/prng.js';
import type { ServicePrincipalInput } from '../inputs.js';
import type { SimAppRoleAssignment, SimServicePrincipal } from '../model.js';
import { findGroup, findUser, type DirectoryState } from './state.js';

/** Entra's "Default Access" app role id. */
export const DEFAULT_ACCESS_ROLE_ID = '00000000-0000-0000-0000-000000000000';

/** Creates a service principal. */
export function addServicePrincipal(
  state: DirectoryState,
  prng: Prng,
  input: ServicePrincipalInput,
): SimServicePrincipal {
  const id = input.id ?? prng.guid();
  if (state.servicePrincipals.has(id)) {
    throw new Error(`service principal ${id} already exists`);
  }
  const sp: SimServicePrincipal = {
    id,
    appId: input.appId ?? prng.guid(),
    displayName: input.displayName,
    appRoles: (input.appRoles ?? []).map(role => ({
      id: role.id ?? prng.guid(),
      value: role.value,
      displayName: role.displayName ?? role.value ?? 'App role',
      description: role.displayName ?? role.value ?? 'App role',
      allowedMemberTypes: ['User'],
      isEnabled: true,
    })),
  };
  state.servicePrincipals.set(id, sp);
  state.assignments.set(id, []);
  return sp;
}

/** Assigns `appRoleId` (default access when absent) of `spId` to a user or group. */
export function assignAppRole(
  state: DirectoryState,
  prng: Prng,
  at: string,
  request: { spId: string; principalId: string; appRoleId?: string | undefined },
): SimAppRoleAssignment {
  const sp = state.servicePrincipals.get(request.spId);
  if (!sp) {
    throw new Error(`no service principal ${request.spId}`);
  }
  const appRoleId = request.appRoleId ?? DEFAULT_ACCESS_ROLE_ID;
  if (appRoleId !== DEFAULT_ACCESS_ROLE_ID && !sp.appRoles.some(r => r.id === appRoleId)) {
    throw new Error(`service principal ${sp.id} has no app role ${appRoleId}`);
  }
  const user = findUser(state, request.principalId);
  const group = user ? undefined : findGroup(state, request.principalId);
  const principal = user ?? group;
  if (!principal) {
    throw new Error(`no live user or group ${request.principalId}`);
  }
  const assignment: SimAppRoleAssignment = {
    // Entra's assignment ids are 43-character base64url strings.
    id: Buffer.from(Array.from({ length: 32 }, () => prng.int(256))).toString('base64url'),
    appRoleId,
    principalId: principal.id,
    principalType: user ? 'User' : 'Group',
    principalDisplayName: principal.displayName,
    resourceId: sp.id,
    resourceDisplayName: sp.displayName,
    createdDateTime: at,
    deletedDateTime: null,
  };
  state.assignments.get(sp.id)?.push(assignment);
  return assignment;
}

/** Removes one assignment. */
export function unassignAppRole(state: DirectoryState, spId: string, assignmentId: string): void {
  const list = state.assignments.get(spId);
  if (!list?.some(a => a.id === assignmentId)) {
    throw new Error(`no assignment ${assignmentId} on ${spId}`);
  }
  state.assignments.set(
    spId,
    list.filter(a => a.id !== assignmentId),
  );
}
