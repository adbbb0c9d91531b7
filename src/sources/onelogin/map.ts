/**
 * OneLogin shapes → the shared model. Pure. Ids are integers in OneLogin and strings here.
 *
 * Status is always checked: a suspended or locked user keeps their roles.
 */
import type { IdpGroupRef, IdpUser } from '../../model.js';
import { isInScope, type GroupScope } from '../scope.js';
import type { OneLoginRole, OneLoginUser } from './api.js';

/** What the mirror keeps of a user: enough to rebuild an {@link IdpUser} under any status rule. */
export type UserRecord = {
  readonly id: string;
  readonly status: number;
  readonly login: string;
  readonly email?: string | undefined;
  readonly displayName?: string | undefined;
};

/** The record the mirror keeps of a OneLogin user (no `status` reads as -1: inactive). */
export function toUserRecord(user: OneLoginUser): UserRecord {
  const email = nonEmpty(user.email);
  const name = [user.firstname, user.lastname]
    .filter(part => nonEmpty(part) !== undefined)
    .join(' ');
  return {
    id: String(user.id),
    status: user.status ?? -1,
    login: nonEmpty(user.username) ?? email ?? String(user.id),
    email,
    displayName: name === '' ? undefined : name,
  };
}

/** A model user; `active` follows the configured status codes. */
export function toIdpUser(record: UserRecord, activeStatuses: readonly number[]): IdpUser {
  return {
    externalId: record.id,
    login: record.login,
    email: record.email,
    displayName: record.displayName,
    active: activeStatuses.includes(record.status),
  };
}

/** True when the role is selected by id, name prefix, name pattern or `all`. */
export function isRoleInScope(scope: GroupScope, role: OneLoginRole): boolean {
  return isInScope(scope, { externalId: String(role.id), name: role.name });
}

/** A group reference for a per-user read. */
export function toGroupRef(role: OneLoginRole): IdpGroupRef {
  return { externalId: String(role.id), name: role.name };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value.trim() === '' ? undefined : value;
}
