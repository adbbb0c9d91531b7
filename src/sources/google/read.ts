/**
 * A full read of the in-scope part of a Google Workspace: every group (one paged list, scope
 * applied here), the direct members of each in-scope group and of every group nested in one,
 * flattened with the shared cycle-safe `flattenMembers`, and every user with their status.
 *
 * Nesting is walked here rather than with `includeDerivedMembership=true` so that the same code
 * serves per-user reads and a cycle (legal in Google Groups) is reported, not looped on.
 * All or nothing: one failed list fails the read, and the calls still running are aborted.
 */
import { SyncError } from '../../errors.js';
import { mapAll } from '../../http/limit.js';
import type { IdpGroup, IdpUser } from '../../model.js';
import { flattenMembers, type GroupMembers } from '../flatten.js';
import { isInScope, type GroupScope } from '../scope.js';
import type { GoogleReader } from './client.js';
import { groupName, toIdpUser } from './map.js';

/** In-scope groups with members flattened, and what was odd about them. */
export type GroupRead = {
  readonly groups: readonly IdpGroup[];
  /** Groups that contain each other (reported, survived). */
  readonly cycles: readonly (readonly string[])[];
};

/** Users with a known status, and the ids of those whose status Google did not give. */
export type UserRead = {
  readonly users: readonly IdpUser[];
  readonly unknownStatus: readonly string[];
};

/** Reads the in-scope groups and flattens their members. */
export async function readGroups(
  reader: GoogleReader,
  scope: GroupScope,
  concurrency: number,
  signal?: AbortSignal,
): Promise<GroupRead> {
  const all = await reader.listGroups(signal);
  const names = new Map(all.map(group => [group.id, groupName(group)]));
  const inScope = all.filter(group =>
    isInScope(scope, { externalId: group.id, name: groupName(group) }),
  );
  const reached = new Map<string, GroupMembers>();
  let level = inScope.map(group => group.id);
  while (level.length > 0) {
    const lists = await mapAll(level, concurrency, signal, async (id, inner) =>
      membersOrGone(reader, id, inner),
    );
    const next: string[] = [];
    level.forEach((id, index) => {
      const members = lists[index] ?? [];
      const groupIds = members.flatMap(member =>
        member.type === 'GROUP' && member.id ? [member.id] : [],
      );
      reached.set(id, {
        externalId: id,
        name: names.get(id) ?? id,
        userIds: members.flatMap(member =>
          member.type === 'USER' && member.id ? [member.id] : [],
        ),
        groupIds,
      });
      for (const child of groupIds) {
        if (!reached.has(child) && !next.includes(child)) {
          next.push(child);
        }
      }
    });
    level = next.filter(id => !reached.has(id));
  }
  const flat = flattenMembers([...reached.values()]);
  const wanted = new Set(inScope.map(group => group.id));
  return {
    groups: flat.groups.filter(group => wanted.has(group.externalId)),
    cycles: flat.problems.flatMap(problem => (problem.kind === 'cycle' ? [problem.groupIds] : [])),
  };
}

/** Reads every user of the customer with their status. */
export async function readUsers(reader: GoogleReader, signal?: AbortSignal): Promise<UserRead> {
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

/** A group's members, or none when the group was deleted since it was listed (404). */
async function membersOrGone(reader: GoogleReader, groupKey: string, signal: AbortSignal) {
  try {
    return await reader.listMembers(groupKey, signal);
  } catch (error) {
    if (error instanceof SyncError && error.code === 'SOURCE_NOT_FOUND') {
      return [];
    }
    throw error;
  }
}
