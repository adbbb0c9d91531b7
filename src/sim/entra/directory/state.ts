/**
 * The directory's in-memory tables and the read-side queries the Graph handlers use. Soft-deleted
 * users and groups stay in the tables (with `deletedDateTime`) so they can be restored and listed
 * under `directory/deletedItems`; every query here hides them unless asked.
 */
import type {
  MemberType,
  SimAppRoleAssignment,
  SimGroup,
  SimServicePrincipal,
  SimUser,
} from '../model.js';

/** The tables. Mutated only by `directory.ts`. */
export type DirectoryState = {
  users: Map<string, SimUser>;
  groups: Map<string, SimGroup>;
  /** groupId → memberId → member type (direct members only). */
  members: Map<string, Map<string, MemberType>>;
  /** memberId → groupIds it is a direct member of. */
  memberOf: Map<string, Set<string>>;
  servicePrincipals: Map<string, SimServicePrincipal>;
  /** servicePrincipalId → its appRoleAssignedTo entries. */
  assignments: Map<string, SimAppRoleAssignment[]>;
  /** Soft-deleted user → the groups it was in, restored with it. */
  deletedMemberships: Map<string, string[]>;
  /** Bumped on every mutation; invalidates the sorted-id caches. */
  revision: number;
  sortedCache: Map<string, { revision: number; ids: string[] }>;
};

/** Empty tables. */
export function createState(): DirectoryState {
  return {
    users: new Map(),
    groups: new Map(),
    members: new Map(),
    memberOf: new Map(),
    servicePrincipals: new Map(),
    assignments: new Map(),
    deletedMemberships: new Map(),
    revision: 0,
    sortedCache: new Map(),
  };
}

function sortedIds(state: DirectoryState, key: string, ids: () => Iterable<string>): string[] {
  const cached = state.sortedCache.get(key);
  if (cached?.revision === state.revision) {
    return cached.ids;
  }
  const fresh = [...ids()].sort();
  state.sortedCache.set(key, { revision: state.revision, ids: fresh });
  return fresh;
}

/** Ids of live (or only soft-deleted) users, sorted; cached until the next mutation. */
export function userIds(state: DirectoryState, deleted: boolean): string[] {
  return sortedIds(state, `users:${deleted}`, () =>
    [...state.users.values()].filter(u => (u.deletedDateTime !== null) === deleted).map(u => u.id),
  );
}

/** Users ordered by id; soft-deleted ones only when `deleted` is true (then only those). */
export function listUsers(state: DirectoryState, deleted = false): SimUser[] {
  return userIds(state, deleted)
    .map(id => state.users.get(id))
    .filter((u): u is SimUser => u !== undefined);
}

/** Groups ordered by id; soft-deleted ones only when `deleted` is true (then only those). */
export function listGroups(state: DirectoryState, deleted = false): SimGroup[] {
  return groupIds(state, deleted)
    .map(id => state.groups.get(id))
    .filter((g): g is SimGroup => g !== undefined);
}

/** Ids of live (or only soft-deleted) groups, sorted; cached until the next mutation. */
export function groupIds(state: DirectoryState, deleted: boolean): string[] {
  return sortedIds(state, `groups:${deleted}`, () =>
    [...state.groups.values()].filter(g => (g.deletedDateTime !== null) === deleted).map(g => g.id),
  );
}

/** A live user by object id or userPrincipalName (Graph accepts both in `/users/{id}`). */
export function findUser(state: DirectoryState, idOrUpn: string): SimUser | undefined {
  const byId = state.users.get(idOrUpn);
  const user =
    byId ??
    [...state.users.values()].find(
      u => u.userPrincipalName.toLowerCase() === idOrUpn.toLowerCase(),
    );
  return user && user.deletedDateTime === null ? user : undefined;
}

/** A live group by id. */
export function findGroup(state: DirectoryState, id: string): SimGroup | undefined {
  const group = state.groups.get(id);
  return group && group.deletedDateTime === null ? group : undefined;
}

/** Number of live users: decides the throttling tier (S/M/L). */
export function countUsers(state: DirectoryState): number {
  return userIds(state, false).length;
}

/** Direct members of a group, ordered by id, live objects only. */
export function directMembers(
  state: DirectoryState,
  groupId: string,
): { id: string; type: MemberType }[] {
  const members = state.members.get(groupId) ?? new Map<string, MemberType>();
  const ids = sortedIds(state, `members:${groupId}`, () => members.keys());
  return ids
    .map(id => ({ id, type: members.get(id) ?? 'user' }))
    .filter(m => (m.type === 'user' ? findUser(state, m.id) : findGroup(state, m.id)));
}
