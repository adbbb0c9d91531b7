/**
 * One read of the in-scope part of the account: users (all of them, or with `updated_since`
 * only those changed since the last read, applied to the mirror), the roles (scope applied
 * here) and each in-scope role's members. Role membership has no change filter, so it is read
 * in full every time; it is also what decides which users are served, so a user deleted from
 * OneLogin (who leaves every role) drops out even though an incremental read cannot see
 * deletions. A member the mirror does not know yet is read on its own; one that OneLogin no
 * longer has is left out of every team.
 *
 * All or nothing: one failed list fails the read, and the rest is cancelled.
 */
import { SyncError } from '../../errors.js';
import { mapAll } from '../../http/limit.js';
import type { IdpGroup, IdpUser } from '../../model.js';
import type { GroupScope } from '../scope.js';
import { isRoleInScope, toIdpUser, toUserRecord, type UserRecord } from './map.js';
import type { RoleRecord } from './mirror.js';
import type { OneLoginReader } from './reader.js';

/** What a read needs besides the reader. */
export type ReadOptions = {
  readonly scope: GroupScope;
  readonly activeStatuses: readonly number[];
  readonly concurrency: number;
};

/** What a read produced: the lists to serve, and what the mirror must store. */
export type ReadResult = {
  readonly groups: readonly IdpGroup[];
  readonly users: ReadonlyMap<string, IdpUser>;
  /** Users read from OneLogin in this run (all of them for a full read). */
  readonly changed: readonly UserRecord[];
  readonly roles: readonly RoleRecord[];
};

/**
 * Reads users (all, or changed since `since` on top of `known`), roles and role members.
 * `known` is the mirror's users for an incremental read, empty for a full one.
 */
export async function readAccount(
  reader: OneLoginReader,
  options: ReadOptions,
  known: ReadonlyMap<string, UserRecord>,
  since: string | undefined,
  signal?: AbortSignal,
): Promise<ReadResult> {
  // The user list first: its first call fetches the token, which the parallel reads then share.
  const changed = (await reader.listUsers(since, signal)).map(toUserRecord);
  const records = new Map(known);
  for (const record of changed) {
    records.set(record.id, record);
  }
  const roles = (await reader.listRoles(signal)).filter(role => isRoleInScope(options.scope, role));
  const members = await mapAll(roles, options.concurrency, signal, (role, inner) =>
    membersOrGone(reader, String(role.id), inner),
  );
  const wanted = new Set(members.flatMap(list => list ?? []));
  const missing = [...wanted].filter(id => !records.has(id));
  const late = await mapAll(missing, options.concurrency, signal, (id, inner) =>
    reader.getUser(id, inner),
  );
  const fetched: UserRecord[] = [];
  for (const user of late) {
    if (user !== undefined) {
      const record = toUserRecord(user);
      records.set(record.id, record);
      fetched.push(record);
    }
  }
  const roleRecords: RoleRecord[] = [];
  roles.forEach((role, index) => {
    const list = members[index];
    if (list !== undefined) {
      roleRecords.push({
        id: String(role.id),
        name: role.name,
        members: list.filter(id => records.has(id)),
      });
    }
  });
  const users = new Map<string, IdpUser>();
  for (const id of wanted) {
    const record = records.get(id);
    if (record !== undefined) {
      users.set(id, toIdpUser(record, options.activeStatuses));
    }
  }
  return {
    groups: roleRecords.map(role => ({
      externalId: role.id,
      name: role.name,
      memberIds: role.members,
    })),
    users,
    changed: [...changed, ...fetched],
    roles: roleRecords,
  };
}

/** A role's member ids, or `undefined` when it was deleted after being listed (404). */
async function membersOrGone(
  reader: OneLoginReader,
  roleId: string,
  signal: AbortSignal,
): Promise<string[] | undefined> {
  try {
    return await reader.listRoleMemberIds(roleId, signal);
  } catch (error) {
    if (error instanceof SyncError && error.code === 'SOURCE_NOT_FOUND') {
      return undefined;
    }
    throw error;
  }
}
