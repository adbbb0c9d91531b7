/**
 * The JSON Okta returns for users, groups and app group assignments, with absolute `_links`
 * under the org URL (clients follow them verbatim).
 *
 * @see /work/shared/reference/idp-apis.md §C "Endpoints" (fields), §I.1 (absolute links)
 */
import type { SimApp, SimGroup, SimUser } from './types.js';

const objectClass: Record<SimGroup['type'], string> = {
  OKTA_GROUP: 'okta:user_group',
  APP_GROUP: 'okta:windows_security_principal',
  BUILT_IN: 'okta:user_group',
};

/** A user object as `/api/v1/users` and `/api/v1/groups/{id}/users` return it. */
export function userJson(user: SimUser, orgUrl: string): Record<string, unknown> {
  const self = `${orgUrl}/api/v1/users/${user.id}`;
  return {
    id: user.id,
    status: user.status,
    created: user.created,
    activated: user.activated,
    statusChanged: user.statusChanged,
    lastLogin: user.lastLogin,
    lastUpdated: user.lastUpdated,
    passwordChanged: user.passwordChanged,
    type: { id: 'oty1simulator0000000' },
    profile: {
      firstName: user.profile.firstName,
      lastName: user.profile.lastName,
      mobilePhone: null,
      secondEmail: null,
      login: user.profile.login,
      email: user.profile.email,
      ...(user.profile.displayName === undefined ? {} : { displayName: user.profile.displayName }),
    },
    credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: self } },
  };
}

/** A group object as `/api/v1/groups` returns it. */
export function groupJson(group: SimGroup, orgUrl: string): Record<string, unknown> {
  const self = `${orgUrl}/api/v1/groups/${group.id}`;
  return {
    id: group.id,
    created: group.created,
    lastUpdated: group.lastUpdated,
    lastMembershipUpdated: group.lastMembershipUpdated,
    objectClass: [objectClass[group.type]],
    type: group.type,
    profile: { name: group.profile.name, description: group.profile.description },
    _links: {
      logo: [
        { name: 'medium', href: `${orgUrl}/img/logos/groups/okta-medium.png`, type: 'image/png' },
        { name: 'large', href: `${orgUrl}/img/logos/groups/okta-large.png`, type: 'image/png' },
      ],
      users: { href: `${self}/users` },
      apps: { href: `${self}/apps` },
    },
  };
}

/** One entry of `/api/v1/apps/{appId}/groups` (`ApplicationGroupAssignment`). */
export function assignmentJson(
  app: SimApp,
  group: SimGroup,
  priority: number,
  orgUrl: string,
): Record<string, unknown> {
  return {
    id: group.id,
    lastUpdated: group.lastUpdated,
    priority,
    profile: {},
    _links: {
      app: { href: `${orgUrl}/api/v1/apps/${app.id}` },
      self: { href: `${orgUrl}/api/v1/apps/${app.id}/groups/${group.id}` },
      group: { href: `${orgUrl}/api/v1/groups/${group.id}` },
    },
  };
}
