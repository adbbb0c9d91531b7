/**
 * Auth0 shapes → the shared model, and which roles and organizations are in scope. Pure.
 *
 * Status is always checked: Auth0 keeps blocked users in their roles and organizations, so
 * membership alone says nothing about access.
 */
import type { IdpGroupRef, IdpUser } from '../../model.js';
import { isInScope, type GroupScope } from '../scope.js';
import type { Auth0Member, Auth0Organization, Auth0Role, Auth0User } from './api.js';

/** A role or an organization that may become a team. */
export type Auth0Team = {
  readonly kind: 'role' | 'organization';
  readonly id: string;
  /** The role name, or the organization's display name (its `name` when it has none). */
  readonly name: string;
  /** Other names the scope may match: an organization's `name` (its slug). */
  readonly aliases: readonly string[];
};

/** A role as a candidate team. */
export function roleTeam(role: Auth0Role): Auth0Team {
  return { kind: 'role', id: role.id, name: role.name, aliases: [] };
}

/** An organization as a candidate team. */
export function organizationTeam(org: Auth0Organization): Auth0Team {
  const display = org.display_name ?? undefined;
  return {
    kind: 'organization',
    id: org.id,
    name: display === undefined || display === '' ? org.name : display,
    aliases: [org.name],
  };
}

/** True when the role or organization is selected by id, or by its name or slug. */
export function isTeamInScope(scope: GroupScope, team: Auth0Team): boolean {
  return [team.name, ...team.aliases].some(name => isInScope(scope, { externalId: team.id, name }));
}

/** A model user; `blocked` users are inactive. */
export function toIdpUser(user: Auth0User): IdpUser {
  const email = user.email ?? undefined;
  return {
    externalId: user.user_id,
    login: user.username ?? email ?? user.user_id,
    email,
    displayName: user.name ?? user.nickname ?? undefined,
    active: user.blocked !== true,
  };
}

/** The distinct member ids of a member list. */
export function memberIds(members: readonly Auth0Member[]): string[] {
  return [...new Set(members.map(member => member.user_id))];
}

/** A group reference for a per-user read. */
export function toGroupRef(team: Auth0Team): IdpGroupRef {
  return { externalId: team.id, name: team.name };
}
