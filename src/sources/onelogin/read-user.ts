/**
 * The per-user read behind the login hook: `GET /api/2/users/{id}` for a numeric subject (the
 * `sub` of a OneLogin ID token is the user id), else a lookup by e-mail or username; then the
 * user's `role_ids`, named and filtered through the role list. A user record without
 * `role_ids` falls back to the memberships of the last read.
 *
 * `deleted` only when OneLogin says no such user exists; a suspended user is `found` and inactive.
 */
import { SyncError } from '../../errors.js';
import type { UserReading } from '../../model.js';
import type { GroupScope } from '../scope.js';
import type { OneLoginUser } from './api.js';
import { isRoleInScope, toGroupRef, toIdpUser, toUserRecord } from './map.js';
import type { RoleRecord } from './mirror.js';
import type { OneLoginReader } from './reader.js';

/** What a per-user read needs. */
export type UserReadOptions = {
  readonly scope: GroupScope;
  readonly activeStatuses: readonly number[];
  /** The in-scope roles of the last read, if any. */
  readonly lastRoles: () => readonly RoleRecord[] | undefined;
};

/** Reads one user and their in-scope roles. */
export async function readUser(
  reader: OneLoginReader,
  options: UserReadOptions,
  subject: string,
  signal?: AbortSignal,
): Promise<UserReading> {
  const trimmed = subject.trim();
  const user = trimmed === '' ? undefined : await findUser(reader, trimmed, signal);
  if (user === undefined) {
    return { kind: 'deleted', source: 'onelogin', subject };
  }
  const id = String(user.id);
  const roleIds =
    user.role_ids === null || user.role_ids === undefined
      ? new Set(
          (options.lastRoles() ?? [])
            .filter(role => role.members.includes(id))
            .map(role => role.id),
        )
      : new Set(user.role_ids.map(String));
  const roles = roleIds.size === 0 ? [] : await reader.listRoles(signal);
  return {
    kind: 'found',
    source: 'onelogin',
    user: toIdpUser(toUserRecord(user), options.activeStatuses),
    groups: roles
      .filter(role => roleIds.has(String(role.id)) && isRoleInScope(options.scope, role))
      .map(toGroupRef),
  };
}

async function findUser(
  reader: OneLoginReader,
  subject: string,
  signal: AbortSignal | undefined,
): Promise<OneLoginUser | undefined> {
  if (/^\d+$/.test(subject)) {
    return reader.getUser(subject, signal);
  }
  const one = (matches: OneLoginUser[]) => {
    if (matches.length > 1) {
      throw new SyncError(
        'SOURCE_INVALID_RESPONSE',
        `${matches.length} OneLogin users match ${subject}; look the user up by id`,
      );
    }
    return matches[0];
  };
  if (!subject.includes('@')) {
    return one(await reader.findUsers({ username: subject }, signal));
  }
  // Whether OneLogin compares e-mails case-insensitively is UNVERIFIED; a lower-cased retry covers both.
  const exact = one(await reader.findUsers({ email: subject }, signal));
  if (exact !== undefined || subject === subject.toLowerCase()) {
    return exact;
  }
  return one(await reader.findUsers({ email: subject.toLowerCase() }, signal));
}
