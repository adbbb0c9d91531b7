import type { IdpGroup, IdpUser } from '../model.js';
import type { Ownership, Suspension } from '../store/types.js';
import type { GroupRemovedAction } from './operations.js';

/** How deprovisioning and group removal behave (DEPROVISION_MODE, _GRACE, _CONFIRMATIONS, ON_GROUP_REMOVED). */
export type LifecyclePolicy = {
  /** `delete`: keys, memberships and user go at once. `block`: keys blocked now, the rest after the grace. */
  readonly mode: 'delete' | 'block';
  readonly graceMs: number;
  /**
   * Consecutive complete snapshots a user must be missing from before deprovisioning, and a
   * managed team's group before its grants are removed and the team retired (≥ 1).
   */
  readonly confirmations: number;
  readonly onGroupRemoved: GroupRemovedAction;
};

/** The default policy: immediate deletion, two confirmations, keep orphaned teams. */
export const defaultLifecyclePolicy: LifecyclePolicy = {
  mode: 'delete',
  graceMs: 72 * 3_600_000,
  confirmations: 2,
  onGroupRemoved: 'keep',
};

/**
 * What the planner needs to stage deprovisions: the policy, the clock and the counters the
 * reconcile layer read from the store. The planner reads no clock of its own.
 */
export type LifecycleInput = {
  readonly policy: LifecyclePolicy;
  /** ms since the epoch */
  readonly now: number;
  /** External id → consecutive complete snapshots missing, this one included. */
  readonly absences: ReadonlyMap<string, number>;
  /** LiteLLM user id → the user's block-mode suspension. */
  readonly suspended: ReadonlyMap<string, Suspension>;
};

/**
 * The absence key of a managed team's group. Groups share the store's absence counts with users;
 * the NUL keeps the two apart (no IdP id contains one).
 */
export function groupAbsenceKey(externalId: string): string {
  return `group\u0000${externalId}`;
}

/**
 * The absence counts after one more complete snapshot: a managed user missing from it (not
 * listed, or listed but in no in-scope group) counts one more; everyone else starts over. A
 * listed-but-disabled user is an explicit signal and needs no count. The group of a managed team
 * missing from it counts one more under {@link groupAbsenceKey}: a page of groups the IdP skipped
 * reads exactly like deleted groups, and removing their members deletes their team keys. Pure.
 */
export function nextAbsences(
  ownership: Ownership,
  users: ReadonlyMap<string, IdpUser>,
  groups: readonly IdpGroup[],
  previous: ReadonlyMap<string, number>,
): Map<string, number> {
  // Filled group by group: a flatMap built one array of every membership (500,000 at L) first.
  const inScope = new Set<string>();
  for (const group of groups) {
    for (const id of group.memberIds) {
      inScope.add(id);
    }
  }
  const next = new Map<string, number>();
  for (const managed of ownership.users.values()) {
    const user = users.get(managed.externalId);
    const missing = user === undefined || (user.active && !inScope.has(managed.externalId));
    if (missing) {
      next.set(managed.externalId, (previous.get(managed.externalId) ?? 0) + 1);
    }
  }
  const live = new Set(groups.map(g => g.externalId));
  for (const team of ownership.teams.values()) {
    if (!live.has(team.externalId)) {
      const key = groupAbsenceKey(team.externalId);
      next.set(key, (previous.get(key) ?? 0) + 1);
    }
  }
  return next;
}

/** Parses a duration such as `72h`, `3d`, `90m`, `45s` or plain milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text.trim());
  if (match === null) {
    return undefined;
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms'] ?? 1;
  return Math.round(Number(match[1]) * unit);
}
