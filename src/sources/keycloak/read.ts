/**
 * Reads of a Keycloak realm's group tree and members.
 *
 * The tree: top-level groups (paged), then each group's children — from
 * `/groups/{id}/children` when the group reports a `subGroupCount` (Keycloak ≥ 23, which no
 * longer nests `subGroups` in plain lists), else from the nested `subGroups` older servers send.
 * Members are read only for in-scope groups and the groups below them; a parent's flattened
 * members include every sub-group's (Keycloak lists direct members only). The shared
 * cycle-safe `flattenMembers` does the flattening, so a group reached by two paths is harmless.
 *
 * All or nothing: one failed list fails the read, and the calls still running are aborted.
 */
import { SyncError } from '../../errors.js';
import { mapAll } from '../../http/limit.js';
import type { IdpGroup, IdpGroupRef, IdpUser } from '../../model.js';
import { flattenMembers, type GroupMembers } from '../flatten.js';
import { isInScope, type GroupScope } from '../scope.js';
import type { KeycloakGroup } from './api.js';
import type { KeycloakReader } from './client.js';
import { toIdpUser } from './map.js';

/** The realm's groups: names and child ids, by id. */
export type GroupTree = ReadonlyMap<
  string,
  { readonly name: string; readonly children: readonly string[] }
>;

/** Users with a known status, and the ids of those whose status Keycloak did not give. */
export type UserRead = {
  readonly users: readonly IdpUser[];
  readonly unknownStatus: readonly string[];
};

/** Reads the whole group tree (no members). */
export async function readTree(
  reader: KeycloakReader,
  concurrency: number,
  signal?: AbortSignal,
): Promise<GroupTree> {
  const tree = new Map<string, { name: string; children: string[] }>();
  let level = await reader.listTopGroups(signal);
  while (level.length > 0) {
    const fresh = level.filter(group => !tree.has(group.id));
    for (const group of fresh) {
      tree.set(group.id, { name: group.name, children: [] });
    }
    const children = await mapAll(fresh, concurrency, signal, (group, inner) =>
      childrenOf(reader, group, inner),
    );
    const next: KeycloakGroup[] = [];
    fresh.forEach((group, index) => {
      const list = children[index] ?? [];
      const node = tree.get(group.id);
      node?.children.push(...list.map(child => child.id));
      next.push(...list);
    });
    level = next;
  }
  return tree;
}

/** The in-scope groups with members flattened through sub-groups. */
export async function readGroups(
  reader: KeycloakReader,
  scope: GroupScope,
  concurrency: number,
  signal?: AbortSignal,
): Promise<{ groups: IdpGroup[]; cycles: string[][] }> {
  const tree = await readTree(reader, concurrency, signal);
  const inScope = inScopeIds(tree, scope);
  const reached = reachable(tree, inScope);
  const members = await mapAll(reached, concurrency, signal, (id, inner) =>
    membersOrGone(reader, id, inner),
  );
  const input: GroupMembers[] = reached.map((id, index) => ({
    externalId: id,
    name: tree.get(id)?.name ?? id,
    userIds: (members[index] ?? []).map(user => user.id),
    groupIds: (tree.get(id)?.children ?? []).filter(child => tree.has(child)),
  }));
  const flat = flattenMembers(input);
  const wanted = new Set(inScope);
  return {
    groups: flat.groups.filter(group => wanted.has(group.externalId)),
    cycles: flat.problems.flatMap(problem =>
      problem.kind === 'cycle' ? [[...problem.groupIds]] : [],
    ),
  };
}

/** Every user of the realm with their status. */
export async function readUsers(reader: KeycloakReader, signal?: AbortSignal): Promise<UserRead> {
  const users: IdpUser[] = [];
  const unknownStatus: string[] = [];
  for (const user of await reader.listUsers(signal)) {
    const mapped = toIdpUser(user);
    if (mapped === undefined) {
      unknownStatus.push(user.id);
    } else {
      users.push(mapped);
    }
  }
  return { users, unknownStatus };
}

/**
 * The in-scope groups reaching a user: in-scope groups that are the user's direct groups or an
 * ancestor of one. Needs the tree but no member lists.
 */
export function groupsReaching(
  tree: GroupTree,
  scope: GroupScope,
  directGroupIds: readonly string[],
): IdpGroupRef[] {
  const parents = new Map<string, string[]>();
  for (const [id, node] of tree) {
    for (const child of node.children) {
      parents.set(child, [...(parents.get(child) ?? []), id]);
    }
  }
  const seen = new Set<string>();
  const queue = [...directGroupIds];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (!seen.has(id)) {
      seen.add(id);
      queue.push(...(parents.get(id) ?? []));
    }
  }
  const wanted = new Set(inScopeIds(tree, scope));
  return [...seen]
    .filter(id => wanted.has(id))
    .map(id => ({ externalId: id, name: tree.get(id)?.name ?? id }));
}

function inScopeIds(tree: GroupTree, scope: GroupScope): string[] {
  return [...tree]
    .filter(([id, node]) => isInScope(scope, { externalId: id, name: node.name }))
    .map(([id]) => id);
}

/** The given groups and everything below them, once each. */
function reachable(tree: GroupTree, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (!seen.has(id) && tree.has(id)) {
      seen.add(id);
      queue.push(...(tree.get(id)?.children ?? []));
    }
  }
  return [...seen];
}

async function childrenOf(
  reader: KeycloakReader,
  group: KeycloakGroup,
  signal: AbortSignal,
): Promise<readonly KeycloakGroup[]> {
  if (typeof group.subGroupCount === 'number') {
    return group.subGroupCount > 0 ? reader.listChildren(group.id, signal) : [];
  }
  // Keycloak < 23 nests the whole sub-tree in the listing itself.
  return group.subGroups ?? [];
}

/** A group's members, or none when the group was deleted since the tree was read (404). */
async function membersOrGone(reader: KeycloakReader, groupId: string, signal: AbortSignal) {
  try {
    return await reader.listMembers(groupId, signal);
  } catch (error) {
    if (error instanceof SyncError && error.code === 'SOURCE_NOT_FOUND') {
      return [];
    }
    throw error;
  }
}
