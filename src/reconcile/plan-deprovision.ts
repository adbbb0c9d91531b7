import type { IdpUser } from '../model.js';
import type { ManagedUser, Ownership } from '../store/types.js';
import type { Team, User } from '../target/types.js';
import type { LifecycleInput } from './lifecycle.js';
import type { DeprovisionReason, Operation } from './operations.js';
import type { PlanScope } from './plan-types.js';

/** What {@link planDeprovisions} decided. */
export type DeprovisionPlan = {
  readonly operations: DeprovisionOperation[];
  /** User ids whose grants must not be removed this run: leaving, suspended, or unconfirmed. */
  readonly untouchable: ReadonlySet<string>;
  /** External id → snapshots missing so far, for users not yet confirmed gone. */
  readonly unconfirmed: Readonly<Record<string, number>>;
};

/**
 * Managed users the IdP no longer backs: deleted, disabled, or (full runs only) in no in-scope
 * group. A user plan deprovisions only on an explicit signal; leaving every group is handled
 * there by removing grants, and by the next full run.
 *
 * With a {@link LifecycleInput}: a user merely missing from a complete read (absent, or in no
 * in-scope group) goes only after `confirmations` consecutive snapshots, while explicit signals
 * (disabled, or a per-user read saying deleted) act at once; in block mode the user is first
 * suspended (keys blocked) and deleted after the grace, or restored if backed again in time.
 */
export function planDeprovisions(
  scope: PlanScope,
  ownership: Ownership,
  users: ReadonlyMap<string, IdpUser>,
  resolved: ReadonlyMap<string, string>,
  byId: ReadonlyMap<string, User>,
  teams: ReadonlyMap<string, Team>,
  lifecycle?: LifecycleInput,
): DeprovisionPlan {
  const teamsOf = rosterLookup(teams);
  const operations: DeprovisionOperation[] = [];
  const untouchable = new Set<string>();
  const unconfirmed: Record<string, number> = {};
  for (const managed of ownership.users.values()) {
    if (scope.kind === 'user' && managed.externalId !== scope.externalId) {
      continue;
    }
    const suspension = lifecycle?.suspended.get(managed.userId);
    const reason = deprovisionReason(scope, managed, users, resolved);
    const existing = byId.get(managed.userId);
    if (reason === undefined) {
      if (suspension !== undefined && existing !== undefined && resolved.has(managed.externalId)) {
        operations.push({
          kind: 'restoreUser',
          userId: managed.userId,
          externalId: managed.externalId,
          tokens: suspension.tokens,
        });
      }
      continue;
    }
    if (
      lifecycle !== undefined &&
      scope.kind === 'full' &&
      reason !== 'disabled' &&
      suspension === undefined
    ) {
      const missing = lifecycle.absences.get(managed.externalId) ?? 0;
      if (missing < lifecycle.policy.confirmations) {
        unconfirmed[managed.externalId] = missing;
        untouchable.add(managed.userId);
        continue;
      }
    }
    untouchable.add(managed.userId);
    if (existing === undefined) {
      operations.push({ kind: 'forgetUser', userId: managed.userId });
      continue;
    }
    const deprovision = {
      kind: 'deprovisionUser' as const,
      userId: managed.userId,
      externalId: managed.externalId,
      reason,
      teams: teamsOf(existing),
    };
    if (suspension !== undefined) {
      if (
        lifecycle !== undefined &&
        (lifecycle.policy.mode === 'delete' || lifecycle.now >= suspension.deleteAfter)
      ) {
        operations.push({ ...deprovision, afterGrace: true });
      }
    } else if (lifecycle?.policy.mode === 'block') {
      operations.push({
        kind: 'suspendUser',
        userId: managed.userId,
        externalId: managed.externalId,
        reason,
        deleteAfter: lifecycle.now + lifecycle.policy.graceMs,
      });
    } else {
      operations.push(deprovision);
    }
  }
  return { operations, untouchable, unconfirmed };
}

/** The operations that end (or stage the end of, or undo the staged end of) a managed user. */
export type DeprovisionOperation = Extract<
  Operation,
  { kind: 'deprovisionUser' | 'forgetUser' | 'suspendUser' | 'restoreUser' }
>;

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

/**
 * Every team LiteLLM lists a user in: the user's own `teams` and the team rosters. The rosters
 * are indexed by member on the first call (a scan of every roster per leaver was O(leavers ×
 * memberships): 500,000 member entries per leaver at L).
 */
function rosterLookup(teams: ReadonlyMap<string, Team>): (user: User) => string[] {
  let byMember: Map<string, string[]> | undefined;
  return user => {
    byMember ??= teamsByMember(teams);
    return [...new Set([...user.teams, ...(byMember.get(user.userId) ?? [])])].sort();
  };
}

function teamsByMember(teams: ReadonlyMap<string, Team>): Map<string, string[]> {
  const byMember = new Map<string, string[]>();
  for (const team of teams.values()) {
    for (const member of team.members) {
      if (member.userId === null) {
        continue;
      }
      const list = byMember.get(member.userId);
      if (list === undefined) {
        byMember.set(member.userId, [team.teamId]);
      } else {
        list.push(team.teamId);
      }
    }
  }
  return byMember;
}
