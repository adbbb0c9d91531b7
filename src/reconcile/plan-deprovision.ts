import type { IdpUser } from '../model.js';
import type { ManagedUser, Ownership } from '../store/types.js';
import type { Team, User } from '../target/types.js';
import type { DeprovisionReason, Operation } from './operations.js';
import type { PlanScope } from './plan-types.js';

/**
 * Managed users the IdP no longer backs: deleted, disabled, or (full runs only) in no in-scope
 * group. A user plan deprovisions only on an explicit signal; leaving every group is handled
 * there by removing grants, and by the next full run.
 */
export function planDeprovisions(
  scope: PlanScope,
  ownership: Ownership,
  users: ReadonlyMap<string, IdpUser>,
  resolved: ReadonlyMap<string, string>,
  litellmUsers: readonly User[],
  teams: ReadonlyMap<string, Team>,
): DeprovisionOperation[] {
  const byId = new Map(litellmUsers.map(u => [u.userId, u]));
  const operations: DeprovisionOperation[] = [];
  for (const managed of ownership.users.values()) {
    if (scope.kind === 'user' && managed.externalId !== scope.externalId) {
      continue;
    }
    const reason = deprovisionReason(scope, managed, users, resolved);
    if (reason === undefined) {
      continue;
    }
    const existing = byId.get(managed.userId);
    operations.push(
      existing === undefined
        ? { kind: 'forgetUser', userId: managed.userId }
        : {
            kind: 'deprovisionUser',
            userId: managed.userId,
            externalId: managed.externalId,
            reason,
            teams: teamsOf(existing, teams),
          },
    );
  }
  return operations;
}

/** The operations that end a managed user. */
export type DeprovisionOperation = Extract<Operation, { kind: 'deprovisionUser' | 'forgetUser' }>;

function deprovisionReason(
  scope: PlanScope,
  managed: ManagedUser,
  users: ReadonlyMap<string, IdpUser>,
  resolved: ReadonlyMap<string, string>,
): DeprovisionReason | undefined {
  const user = users.get(managed.externalId);
  if (scope.kind === 'user') {
    if (scope.deleted) {
      return 'deleted';
    }
    return user !== undefined && !user.active ? 'disabled' : undefined;
  }
  if (user === undefined) {
    return 'deleted';
  }
  if (!user.active) {
    return 'disabled';
  }
  return resolved.has(managed.externalId) ? undefined : 'out_of_scope';
}

/** Every team LiteLLM lists the user in: the user's own `teams` and the team rosters. */
function teamsOf(user: User, teams: ReadonlyMap<string, Team>): string[] {
  const ids = new Set(user.teams);
  for (const team of teams.values()) {
    if (team.members.some(m => m.userId === user.userId)) {
      ids.add(team.teamId);
    }
  }
  return [...ids].sort();
}
