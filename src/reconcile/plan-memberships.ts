import type { IdpGroup } from '../model.js';
import type { Ownership } from '../store/types.js';
import type { Team, TeamRole } from '../target/types.js';
import type { Operation } from './operations.js';

/**
 * The memberships the IdP backs: team id → user ids, for every resolved (active) member of
 * every in-scope group.
 */
export function desiredMemberships(
  groups: readonly IdpGroup[],
  resolved: ReadonlyMap<string, string>,
): Map<string, Set<string>> {
  const desired = new Map<string, Set<string>>();
  for (const group of groups) {
    const members = new Set<string>();
    for (const externalId of group.memberIds) {
      const userId = resolved.get(externalId);
      if (userId !== undefined) {
        members.add(userId);
      }
    }
    desired.set(group.externalId, members);
  }
  return desired;
}

/** One `addMembers` per team for the backed members it lacks (LiteLLM takes a list per call). */
export function planAdds(
  desired: ReadonlyMap<string, ReadonlySet<string>>,
  teams: ReadonlyMap<string, Team>,
): Operation[] {
  const operations: Operation[] = [];
  for (const [teamId, userIds] of desired) {
    const present = new Set<string | null>();
    for (const member of teams.get(teamId)?.members ?? []) {
      present.add(member.userId);
    }
    const missing: string[] = [];
    for (const id of userIds) {
      if (!present.has(id)) {
        missing.push(id);
      }
    }
    missing.sort();
    if (missing.length > 0) {
      const role: TeamRole = 'user';
      operations.push({
        kind: 'addMembers',
        teamId,
        members: missing.map(userId => ({ userId, role })),
      });
    }
  }
  return operations;
}

/**
 * Grants the IdP no longer backs: removed from LiteLLM when the member is still there,
 * forgotten when someone already took them out. Only grants, never other members.
 */
export function planGrantRemovals(
  ownership: Ownership,
  desired: ReadonlyMap<string, ReadonlySet<string>>,
  teams: ReadonlyMap<string, Team>,
  include: (userId: string, teamId: string) => boolean,
): Operation[] {
  const operations: Operation[] = [];
  for (const grant of ownership.grants.values()) {
    if (
      !include(grant.userId, grant.teamId) ||
      desired.get(grant.teamId)?.has(grant.userId) === true
    ) {
      continue;
    }
    const stillMember =
      teams.get(grant.teamId)?.members.some(m => m.userId === grant.userId) === true;
    operations.push({
      kind: stillMember ? 'removeMember' : 'forgetGrant',
      teamId: grant.teamId,
      userId: grant.userId,
    });
  }
  return operations;
}
