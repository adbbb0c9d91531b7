import type { IdpGroupRef } from '../model.js';
import type { GroupMembers } from './flatten.js';

/**
 * How a user reaches one in-scope group: the chain of groups from the in-scope group down to
 * the group the user is a direct member of (both included; one element when direct).
 */
export type GroupPath = {
  readonly group: IdpGroupRef;
  readonly via: readonly IdpGroupRef[];
};

/**
 * The shortest nesting path from the user to every in-scope group they reach, for sources that
 * know each group's direct user and group members (the file source; mirrors of Google,
 * Keycloak, …). Walks up from the user's direct groups, breadth first, so a cycle ends the walk
 * instead of looping. Pure.
 */
export function findGroupPaths(
  groups: readonly GroupMembers[],
  userId: string,
  inScope: (group: IdpGroupRef) => boolean,
): GroupPath[] {
  const byId = new Map(groups.map(g => [g.externalId, g]));
  const parents = new Map<string, string[]>();
  for (const group of groups) {
    for (const child of group.groupIds) {
      parents.set(child, [...(parents.get(child) ?? []), group.externalId]);
    }
  }
  const ref = (g: GroupMembers): IdpGroupRef => ({ externalId: g.externalId, name: g.name });
  // Path from the reached group down to the user's direct group, per group id.
  const reached = new Map<string, IdpGroupRef[]>();
  let frontier = groups.filter(g => g.userIds.includes(userId));
  for (const group of frontier) {
    reached.set(group.externalId, [ref(group)]);
  }
  while (frontier.length > 0) {
    const next: GroupMembers[] = [];
    for (const group of frontier) {
      const below = reached.get(group.externalId) ?? [];
      for (const parentId of parents.get(group.externalId) ?? []) {
        const parent = byId.get(parentId);
        if (parent !== undefined && !reached.has(parentId)) {
          reached.set(parentId, [ref(parent), ...below]);
          next.push(parent);
        }
      }
    }
    frontier = next;
  }
  return [...reached.values()]
    .filter(path => path[0] !== undefined && inScope(path[0]))
    .map(path => ({ group: path[0] as IdpGroupRef, via: path }));
}
