/**
 * Transitive membership: nested groups are flattened breadth-first with a visited set, so
 * diamonds yield each object once and cycles terminate (Entra allows neither to break
 * `transitiveMembers` / `transitiveMemberOf`).
 */
import type { MemberType } from '../model.js';
import { directMembers, findGroup, type DirectoryState } from './state.js';

/** Every user and group reachable below `groupId` (the group itself excluded), ordered by id. */
export function transitiveMembers(
  state: DirectoryState,
  groupId: string,
): { id: string; type: MemberType }[] {
  const seen = new Map<string, MemberType>();
  const visitedGroups = new Set<string>([groupId]);
  const queue = [groupId];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const member of directMembers(state, next)) {
      if (member.id !== groupId) {
        seen.set(member.id, member.type);
      }
      if (member.type === 'group' && !visitedGroups.has(member.id)) {
        visitedGroups.add(member.id);
        queue.push(member.id);
      }
    }
  }
  return [...seen.keys()].sort().map(id => ({ id, type: seen.get(id) ?? 'user' }));
}

/** Every live group that `memberId` belongs to directly or through nesting, ordered by id. */
export function transitiveMemberOf(state: DirectoryState, memberId: string): string[] {
  const found = new Set<string>();
  const queue = [memberId];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const groupId of state.memberOf.get(next) ?? []) {
      if (groupId !== memberId && !found.has(groupId) && findGroup(state, groupId)) {
        found.add(groupId);
        queue.push(groupId);
      }
    }
  }
  return [...found].sort();
}

/** Direct groups of `memberId`, ordered by id. */
export function directMemberOf(state: DirectoryState, memberId: string): string[] {
  return [...(state.memberOf.get(memberId) ?? [])].filter(id => findGroup(state, id)).sort();
}
