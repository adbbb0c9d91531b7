/**
 * Okta shapes → the shared model, and which groups are in scope. Pure: no I/O.
 *
 * Status is always checked, because Okta keeps deactivated (`DEPROVISIONED`) and suspended users
 * in their groups: membership alone says nothing about access.
 */
import type { IdpGroupRef, IdpUser } from '../../model.js';
import { compileScope, isInScope, type GroupScope } from '../scope.js';
import type { ScopeConfig } from '../scope.js';
import type { OktaGroup, OktaUser } from './api.js';

/** What the mirror keeps of a user: enough to rebuild an {@link IdpUser} under any status rule. */
export type UserRecord = {
  readonly id: string;
  readonly status: string;
  readonly login: string;
  readonly email?: string | undefined;
  readonly displayName?: string | undefined;
};

/** What the mirror keeps of an in-scope group; `members` are direct user ids (Okta has no nesting). */
export type GroupRecord = {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly members: readonly string[];
};

/** Everything that decides whether a group becomes a team. */
export type OktaSelector = {
  readonly scope: GroupScope;
  /** Allowed group types (`BUILT_IN` only when asked for). */
  readonly types: readonly string[];
  /** Groups assigned to the configured app, when `appId` is set. */
  readonly appGroupIds?: ReadonlySet<string> | undefined;
};

/** The shared scope with its pattern compiled. */
export const toGroupScope: (scope: ScopeConfig) => GroupScope = compileScope;

/**
 * A group named by id is in scope whatever its type (it was asked for explicitly); every other
 * selector — name prefix or pattern, the app's assignments, "all" — only picks groups of the
 * allowed types, so `Everyone` never becomes a team by accident.
 */
export function isOktaGroupInScope(
  selector: OktaSelector,
  group: { readonly id: string; readonly name: string; readonly type: string },
): boolean {
  if (selector.scope.ids.includes(group.id)) {
    return true;
  }
  if (!selector.types.includes(group.type)) {
    return false;
  }
  if (selector.appGroupIds?.has(group.id) === true) {
    return true;
  }
  return isInScope({ ...selector.scope, ids: [] }, { externalId: group.id, name: group.name });
}

/** The record the mirror keeps of an Okta user. */
export function toUserRecord(user: OktaUser): UserRecord {
  const { profile } = user;
  const fullName = [profile.firstName, profile.lastName].filter(part => part).join(' ');
  return {
    id: user.id,
    status: user.status,
    login: profile.login,
    email: profile.email ?? undefined,
    displayName: profile.displayName ?? (fullName === '' ? undefined : fullName),
  };
}

/** The record the mirror keeps of an in-scope Okta group. */
export function toGroupRecord(group: OktaGroup, members: readonly OktaUser[]): GroupRecord {
  return {
    id: group.id,
    name: group.profile.name,
    type: group.type,
    members: [...new Set(members.map(member => member.id))],
  };
}

/** A model user; `active` follows the configured statuses. */
export function toIdpUser(record: UserRecord, activeStatuses: readonly string[]): IdpUser {
  return {
    externalId: record.id,
    login: record.login,
    email: record.email,
    displayName: record.displayName,
    active: activeStatuses.includes(record.status),
  };
}

/** A group reference for a per-user read. */
export function toGroupRef(group: OktaGroup): IdpGroupRef {
  return { externalId: group.id, name: group.profile.name };
}
