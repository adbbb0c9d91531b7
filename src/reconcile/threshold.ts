import type { Plan } from './plan-types.js';

/**
 * The deprovision circuit breaker (product.md §4.5): a plan that would deprovision more users
 * than either limit is refused unless forced. `0` switches a limit off.
 */
export type DeprovisionThreshold = {
  /** Most users one run may deprovision. */
  readonly maxCount: number;
  /** Most users one run may deprovision, as a percent of the users this source manages. */
  readonly maxPercent: number;
};

/** An absolute and a percent limit; `0` switches either off. */
export type Limit = DeprovisionThreshold;

/**
 * Every limit of the circuit breaker, per source (issue 7). Deprovisions count immediate
 * deprovisions and block-mode suspensions (percent of managed users); removals count membership
 * removals (percent of this source's grants); key deletions count the keys the plan would delete
 * (absolute only: LiteLLM offers no cheap total to take a percent of).
 */
export type SafetyThresholds = {
  readonly deprovisions: Limit;
  readonly removals: Limit;
  readonly keyDeletions: { readonly maxCount: number };
};

export type ThresholdVerdict =
  { readonly exceeded: false } | { readonly exceeded: true; readonly reason: string };

/** Whether the plan's deprovisions exceed the threshold, and by how much. */
export function checkThreshold(plan: Plan, threshold: DeprovisionThreshold): ThresholdVerdict {
  return checkThresholds(
    plan,
    { deprovisions: threshold, removals: off, keyDeletions: { maxCount: 0 } },
    0,
  );
}

const off: Limit = { maxCount: 0, maxPercent: 0 };

/**
 * Checks every limit; the verdict names each one exceeded. Variable names in the reasons are
 * the global ones (a per-source override is `<SOURCE>_` + that name).
 * @param keyDeletions keys the plan would delete, counted by the caller (it takes I/O)
 */
export function checkThresholds(
  plan: Plan,
  thresholds: SafetyThresholds,
  keyDeletions: number,
): ThresholdVerdict {
  const afterGrace = plan.operations.filter(
    op => op.kind === 'deprovisionUser' && op.afterGrace === true,
  ).length;
  const deprovisions =
    (plan.counts.deprovisionUser ?? 0) + (plan.counts.suspendUser ?? 0) - afterGrace;
  const reasons = [
    ...exceeds(
      deprovisions,
      plan.managedUsers,
      'deprovisions',
      'managed users',
      thresholds.deprovisions,
      'DEPROVISION_MAX',
    ),
    ...exceeds(
      plan.counts.removeMember ?? 0,
      plan.managedGrants ?? 0,
      'membership removals',
      'granted memberships',
      thresholds.removals,
      'REMOVAL_MAX',
    ),
    ...exceeds(
      keyDeletions,
      0,
      'key deletions',
      '',
      { maxCount: thresholds.keyDeletions.maxCount, maxPercent: 0 },
      'KEY_DELETE_MAX',
    ),
  ];
  return reasons.length === 0
    ? { exceeded: false }
    : { exceeded: true, reason: reasons.join('; ') };
}

function exceeds(
  count: number,
  base: number,
  what: string,
  baseName: string,
  limit: Limit,
  variable: string,
): string[] {
  if (count === 0) {
    return [];
  }
  if (limit.maxCount > 0 && count > limit.maxCount) {
    return [`${count} ${what} exceed ${variable}=${limit.maxCount}`];
  }
  const percent = (count * 100) / Math.max(base, 1);
  if (limit.maxPercent > 0 && percent > limit.maxPercent) {
    return [
      `${count} ${what} are ${percent.toFixed(1)}% of ${base} ${baseName}, over ${variable}_PERCENT=${limit.maxPercent}`,
    ];
  }
  return [];
}
