/**
 * Direct membership edges (group → user or nested group) kept in both directions, each change
 * written to the change log so `groups/delta` can report it in `members@delta`.
 */
import type { MemberType } from '../model.js';
import type { ChangeLog } from './change-log.js';
import { findGroup, type DirectoryState } from './state.js';

/** Adds `memberId` to `groupId` (no-op when already a member). */
export function linkMember(
  state: DirectoryState,
  log: ChangeLog,
  groupId: string,
  memberId: string,
  memberType: MemberType,
): void {
  const members = state.members.get(groupId) ?? new Map<string, MemberType>();
  state.members.set(groupId, members);
  if (members.has(memberId)) {
    return;
  }
  members.set(memberId, memberType);
  state.memberOf.set(memberId, (state.memberOf.get(memberId) ?? new Set()).add(groupId));
  log.append({ kind: 'member', groupId, memberId, memberType, removed: false });
  state.revision += 1;
}

/** Removes `memberId` from `groupId` (no-op when not a member). */
export function unlinkMember(
  state: DirectoryState,
  log: ChangeLog,
  groupId: string,
  memberId: string,
): void {
  const memberType = state.members.get(groupId)?.get(memberId);
  if (memberType === undefined) {
    return;
  }
  state.members.get(groupId)?.delete(memberId);
  state.memberOf.get(memberId)?.delete(groupId);
  log.append({ kind: 'member', groupId, memberId, memberType, removed: true });
  state.revision += 1;
}

/**
 * Drops `id` from its live parent groups and remembers them, so that a restore can put the
 * memberships back (Entra restores memberships with a soft-deleted object: user-delete docs).
 */
export function leaveParentGroups(state: DirectoryState, log: ChangeLog, id: string): void {
  const parents = [...(state.memberOf.get(id) ?? [])].filter(g => findGroup(state, g));
  state.deletedMemberships.set(id, parents);
  parents.forEach(groupId => unlinkMember(state, log, groupId, id));
}
