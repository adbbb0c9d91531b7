import { operationSubject, type Operation } from './operations.js';

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

function stableJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(stableJson).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
