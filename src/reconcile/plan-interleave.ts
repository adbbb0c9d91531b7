import type { Ownership } from '../store/types.js';
import type { Operation } from './operations.js';

/** What {@link deferToUserSyncs} needs from the plan input. */
export type InterleaveInput = {
  /** When the full run's IdP read began (ms). */
  readonly readStartedAt: number;
  /** External id → until when the user's last per-user sync may have written to LiteLLM (ms). */
  readonly userSyncMarks: ReadonlyMap<string, number>;
  readonly ownership: Ownership;
  /** IdP external id → LiteLLM user id, as the planner resolved them. */
  readonly resolved: ReadonlyMap<string, string>;
};

/**
 * Drops a full plan's operations about every user whose per-user sync (login hook, `resync
 * --user`) read the IdP or wrote to LiteLLM after this run's IdP read began.
 *
 * The lost update this prevents: the full run reads the IdP at T0; a login sync of X reads it
 * at T1 > T0 and adds (or removes) a membership; the full run, planning from its T0 snapshot,
 * would then remove X's fresh grant, forget it, or re-add what the login sync just removed. The
 * login sync's view is the fresher one, so it wins for X; the next full run (reading after the
 * mark) covers X again.
 *
 * The mark is "until when it may have written", not only "when it read": a per-user sync that
 * read just before T0 but whose writes land after the full run read LiteLLM would otherwise leave
 * the full run planning from a LiteLLM state older than the grants in the store (a grant it would
 * "forget" while the membership exists). Deferring then too costs nothing but a cycle.
 *
 * Operations about teams are kept; an `addMembers` keeps its other members.
 */
export function deferToUserSyncs(
  operations: readonly Operation[],
  input: InterleaveInput,
): { operations: Operation[]; deferredUsers: string[] } {
  const marked = new Set(
    [...input.userSyncMarks].filter(([, mark]) => mark >= input.readStartedAt).map(([id]) => id),
  );
  if (marked.size === 0) {
    return { operations: [...operations], deferredUsers: [] };
  }
  // LiteLLM user id → external id, for every user id the plan may name for a marked person.
  const externalIdOf = new Map<string, string>();
  for (const user of input.ownership.users.values()) {
    if (marked.has(user.externalId)) {
      externalIdOf.set(user.userId, user.externalId);
    }
  }
  for (const [externalId, userId] of input.resolved) {
    if (marked.has(externalId)) {
      externalIdOf.set(userId, externalId);
    }
  }
  const deferred = new Set<string>();
  const isMarked = (userId: string, externalId?: string): boolean => {
    const owner =
      externalId !== undefined && marked.has(externalId) ? externalId : externalIdOf.get(userId);
    if (owner !== undefined) {
      deferred.add(owner);
    }
    return owner !== undefined;
  };
  const kept: Operation[] = [];
  for (const op of operations) {
    const survivor = withoutMarked(op, isMarked);
    if (survivor !== undefined) {
      kept.push(survivor);
    }
  }
  return { operations: kept, deferredUsers: [...deferred].sort() };
}

/** The operation with marked users taken out, or undefined when nothing of it is left. */
function withoutMarked(
  op: Operation,
  isMarked: (userId: string, externalId?: string) => boolean,
): Operation | undefined {
  switch (op.kind) {
    case 'createTeam':
    case 'adoptTeam':
    case 'renameTeam':
    case 'retireTeam':
      return op;
    case 'createUser':
    case 'adoptUser':
    case 'updateUser':
    case 'deprovisionUser':
    case 'suspendUser':
    case 'restoreUser':
      return isMarked(op.userId, op.externalId) ? undefined : op;
    case 'removeMember':
    case 'forgetGrant':
    case 'forgetUser':
      return isMarked(op.userId) ? undefined : op;
    case 'addMembers': {
      // Evaluate every member (no short-circuit), so each deferred user is reported.
      const members = op.members.filter(member => !isMarked(member.userId));
      if (members.length === op.members.length) {
        return op;
      }
      return members.length === 0 ? undefined : { ...op, members };
    }
  }
}
