/**
 * Keycloak shapes → the shared model. Pure: no I/O.
 */
import type { IdpUser } from '../../model.js';
import type { KeycloakUser } from './api.js';

/**
 * The model user, or `undefined` when Keycloak did not say whether the account is enabled: an
 * unknown status is never read as disabled or as gone (peers.md §c-1); the caller reports it.
 */
export function toIdpUser(user: KeycloakUser): IdpUser | undefined {
  if (typeof user.enabled !== 'boolean') {
    return undefined;
  }
  const fullName = [user.firstName, user.lastName].filter(part => part).join(' ');
  return {
    externalId: user.id,
    login: user.username,
    email: user.email ?? undefined,
    displayName: fullName === '' ? undefined : fullName,
    active: user.enabled,
  };
}
