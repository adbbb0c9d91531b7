/**
 * Directory API shapes → the shared model. Pure: no I/O.
 */
import type { IdpUser } from '../../model.js';
import type { GoogleUser } from './api.js';

/**
 * The model user, or `undefined` when Google did not say whether the account is usable.
 *
 * Disabled means `suspended` or `archived`. Both flags must be present for "active": a user
 * whose flags are missing is unknown, never active and never disabled — Firezone removed
 * Google users over exactly this (firezone/firezone#15291, peers.md §c-1), so the caller
 * reports such users as a problem and holds back removals rather than guess.
 */
export function toIdpUser(user: GoogleUser): IdpUser | undefined {
  const active = statusOf(user);
  if (active === undefined) {
    return undefined;
  }
  const fullName =
    user.name?.fullName ??
    ([user.name?.givenName, user.name?.familyName].filter(part => part).join(' ') || undefined);
  return {
    externalId: user.id,
    login: user.primaryEmail,
    email: user.primaryEmail,
    displayName: fullName ?? undefined,
    active,
  };
}

/** True (usable), false (suspended or archived) or `undefined` (Google did not say). */
export function statusOf(user: Pick<GoogleUser, 'suspended' | 'archived'>): boolean | undefined {
  if (user.suspended === true || user.archived === true) {
    return false;
  }
  if (user.suspended === false && user.archived === false) {
    return true;
  }
  return undefined;
}

/** A group's name for scope and team naming: its name, else its e-mail, else its id. */
export function groupName(group: {
  readonly id: string;
  readonly name?: string | null | undefined;
  readonly email?: string | null | undefined;
}): string {
  return group.name || group.email || group.id;
}
