import { basisChanges, type PlanBasis } from './basis.js';
import { operationSubject, type Operation } from './operations.js';
import { stableJson } from './stable-json.js';

/** Whether a fresh plan is the quarantined one, and if not, what changed. */
export type PlanComparison =
  { readonly same: true } | { readonly same: false; readonly changes: string };

/**
 * Compares a quarantined plan with a fresh one, operation by operation. Fields that only carry
 * the planning clock (a suspension's deadline, an orphan mark's time) are ignored: the stored
 * operations, with their original values, are what an approval applies.
 */
export function comparePlans(
  quarantined: readonly Operation[],
  fresh: readonly Operation[],
): PlanComparison {
  const before = new Map(quarantined.map(op => [comparable(op), op]));
  const after = new Map(fresh.map(op => [comparable(op), op]));
  const gone = [...before].filter(([key]) => !after.has(key)).map(([, op]) => operationSubject(op));
  const added = [...after]
    .filter(([key]) => !before.has(key))
    .map(([, op]) => operationSubject(op));
  if (gone.length === 0 && added.length === 0 && quarantined.length === fresh.length) {
    return { same: true };
  }
  const parts = [
    ...(added.length > 0 ? [`now also: ${describe(added)}`] : []),
    ...(gone.length > 0 ? [`no longer: ${describe(gone)}`] : []),
  ];
  return { same: false, changes: parts.join('; ') || 'the operations differ' };
}

function describe(subjects: readonly string[]): string {
  const shown = subjects.slice(0, 10).join(', ');
  return subjects.length > 10 ? `${shown} and ${subjects.length - 10} more` : shown;
}

/** The operation as JSON with sorted keys, without its clock-only fields. */
function comparable(op: Operation): string {
  const copy: Record<string, unknown> = { ...op };
  if (op.kind === 'suspendUser') {
    delete copy['deleteAfter'];
  }
  if (op.kind === 'retireTeam') {
    delete copy['metadata'];
  }
  return stableJson(copy);
}

/**
 * Stored operations to apply "if the world has not drifted": an approved quarantine (the run that
 * quarantined them) or a saved plan file (the dry run that planned them). Both are applied by the
 * same path: re-read, re-plan, {@link checkStoredPlan}, then apply the stored operations exactly.
 */
export type StoredPlan = {
  /** The run that planned the operations. */
  readonly runId: string;
  /** @defaultValue 'quarantine' */
  readonly origin?: 'quarantine' | 'saved-plan' | undefined;
  readonly operations: readonly Operation[];
  /**
   * What the plan was computed from. When set, a fresh read with a different basis is drift even
   * if the operations came out the same (a saved plan is exact). A quarantine has none: its
   * operations alone are compared, and its absence counts are not advanced by the re-read.
   */
  readonly basis?: PlanBasis | undefined;
};

/** Whether stored operations may still be applied, and if not, what changed, in words. */
export type StoredPlanCheck =
  { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Checks stored operations against a fresh plan (and the fresh basis, when the stored plan has
 * one). The one drift check behind both `approve` and `apply`. Pure.
 */
export function checkStoredPlan(
  stored: StoredPlan,
  fresh: readonly Operation[],
  freshBasis: PlanBasis | undefined,
): StoredPlanCheck {
  const comparison = comparePlans(stored.operations, fresh);
  const basis =
    stored.basis === undefined || freshBasis === undefined
      ? []
      : basisChanges(stored.basis, freshBasis);
  if (comparison.same && basis.length === 0) {
    return { ok: true };
  }
  const changes = [
    ...(basis.length > 0 ? [`changed since: ${basis.join(', ')}`] : []),
    ...(comparison.same ? [] : [comparison.changes]),
  ].join('; ');
  const what =
    stored.origin !== 'saved-plan'
      ? `run ${stored.runId} was quarantined`
      : `the saved plan (run ${stored.runId}) was made`;
  return {
    ok: false,
    reason: `the world changed since ${what} (${changes}); nothing was applied — review the new plan`,
  };
}
