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

export type ThresholdVerdict = { readonly exceeded: false } | { readonly exceeded: true; readonly reason: string };

/** Whether the plan's deprovisions exceed the threshold, and by how much. */
export function checkThreshold(plan: Plan, threshold: DeprovisionThreshold): ThresholdVerdict {
  const count = plan.counts.deprovisionUser ?? 0;
  if (count === 0) {
    return { exceeded: false };
  }
  if (threshold.maxCount > 0 && count > threshold.maxCount) {
    return {
      exceeded: true,
      reason: `${count} deprovisions exceed DEPROVISION_MAX=${threshold.maxCount}`,
    };
  }
  const percent = (count * 100) / Math.max(plan.managedUsers, 1);
  if (threshold.maxPercent > 0 && percent > threshold.maxPercent) {
    return {
      exceeded: true,
      reason: `${count} deprovisions are ${percent.toFixed(1)}% of ${plan.managedUsers} managed users, over DEPROVISION_MAX_PERCENT=${threshold.maxPercent}`,
    };
  }
  return { exceeded: false };
}
