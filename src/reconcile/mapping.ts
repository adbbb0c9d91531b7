import type { IdpUser } from '../model.js';
import type { UserIdAttribute } from '../sources/types.js';
import type { TeamSettings, UserRole } from '../target/types.js';

/** A LiteLLM user role given to members of the matching groups (first match wins). */
export type UserRoleRule = { readonly groups: readonly string[]; readonly role: UserRole };

/** Team settings applied when a team for a matching group is created. */
export type TeamTemplate = { readonly match: RegExp; readonly settings: TeamSettings };

/** How IdP objects map onto LiteLLM ones (product.md §3). */
export type MappingRules = {
  readonly userIdAttribute: UserIdAttribute;
  readonly defaultUserRole: UserRole;
  readonly userRoleRules: readonly UserRoleRule[];
  readonly teamTemplates: readonly TeamTemplate[];
};

/** The LiteLLM `user_id` a new user gets. */
export function litellmUserId(user: IdpUser, attribute: UserIdAttribute): string {
  switch (attribute) {
    case 'externalId':
      return user.externalId;
    case 'login':
      return user.login;
    case 'email':
      return user.email ?? user.login;
  }
}

/** The role rules give a user in these groups (ids or names), and whether a rule decided it. */
export function desiredRole(
  rules: MappingRules,
  groups: readonly { externalId: string; name: string }[],
): { role: UserRole; fromRule: boolean } {
  for (const rule of rules.userRoleRules) {
    if (groups.some(g => rule.groups.includes(g.externalId) || rule.groups.includes(g.name))) {
      return { role: rule.role, fromRule: true };
    }
  }
  return { role: rules.defaultUserRole, fromRule: false };
}

/** The template for a group's team, matched on the group name. */
export function teamTemplate(rules: MappingRules, groupName: string): TeamSettings | undefined {
  return rules.teamTemplates.find(t => t.match.test(groupName))?.settings;
}

const adminRoles: ReadonlySet<string> = new Set(['proxy_admin', 'proxy_admin_viewer']);

/**
 * Whether to change a user's role. An admin role that no rule granted was set by an operator,
 * so the worker never demotes it: losing the only admin account is worse than a stale role.
 */
export function shouldChangeRole(
  actual: string | null,
  desired: { role: UserRole; fromRule: boolean },
): boolean {
  if (actual === desired.role) {
    return false;
  }
  return desired.fromRule || actual === null || !adminRoles.has(actual);
}

/** The `metadata.idp_sync` marker on every managed team and user. */
export function managedMarker(
  source: string,
  externalId: string,
): { source: string; external_id: string } {
  return { source, external_id: externalId };
}
