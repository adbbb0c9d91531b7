import type { Snapshot } from '../model.js';
import type { Ownership } from '../store/types.js';
import { checkStoredPlan } from './approval.js';
import type { PlanBasis } from './basis.js';
import { countKeysToDelete } from './dry-run-keys.js';
import { nextAbsences, type LifecycleInput } from './lifecycle.js';
import type { Operation } from './operations.js';
import type { Plan } from './plan-types.js';
import type { ReconcileDeps, RunOptions } from './run-types.js';
import { checkThreshold, checkThresholds, type ThresholdVerdict } from './threshold.js';

/**
 * The lifecycle input of a full plan: the policy, the clock, the suspensions and the absence
 * counts including this snapshot. A complete, applied run persists the new counts (even if the
 * plan is then quarantined: the snapshot was observed); a dry run does not, and an approval's
 * re-read does not advance them (it must reproduce the quarantined plan, not a later one). A
 * saved plan was a dry run, so applying it counts this snapshot, as its dry run did.
 */
export function lifecycleForFull(
  deps: ReconcileDeps,
  ownership: Ownership,
  snapshot: Snapshot,
  runId: string,
  options: RunOptions,
): LifecycleInput | undefined {
  if (deps.safety === undefined) {
    return undefined;
  }
  const source = deps.source.name;
  const previous = deps.store.absences(source);
  let absences: ReadonlyMap<string, number> = previous;
  if (snapshot.complete) {
    const next = nextAbsences(ownership, snapshot.users, snapshot.groups, previous);
    if (options.approve !== undefined && options.approve.origin !== 'saved-plan') {
      absences = new Map([...next.keys()].map(id => [id, previous.get(id) ?? 0]));
    } else {
      absences = next;
      if (!options.dryRun) {
        deps.store.setAbsences(source, runId, next);
      }
    }
  }
  return lifecycleInput(deps, absences);
}

/** The lifecycle input of a per-user plan (absences do not apply: it acts on explicit signals). */
export function lifecycleInput(
  deps: ReconcileDeps,
  absences: ReadonlyMap<string, number> = new Map(),
): LifecycleInput | undefined {
  if (deps.safety === undefined) {
    return undefined;
  }
  return {
    policy: deps.safety.lifecycle,
    now: deps.now().getTime(),
    absences,
    suspended: deps.store.suspensions(deps.source.name),
  };
}

/** What to do with a plan: apply these operations, or refuse (and quarantine, unless approving). */
export type GateDecision =
  | { readonly action: 'apply'; readonly operations: readonly Operation[] }
  | { readonly action: 'quarantine'; readonly reason: string }
  | { readonly action: 'refuse'; readonly reason: string };

/**
 * The circuit breaker. Stored operations (an approval, a saved plan) are applied exactly, if a
 * fresh plan equals them and, for a saved plan, its basis is unchanged; otherwise the run is
 * refused, naming what changed. An approval is the operator's override of the limits; a saved
 * plan still has to pass them (or be forced), but is refused rather than quarantined: it is
 * already stored, in its file. Otherwise a plan over any limit is quarantined unless forced.
 */
export async function gate(
  deps: ReconcileDeps,
  plan: Plan,
  options: RunOptions,
  basis?: PlanBasis,
): Promise<GateDecision> {
  const stored = options.approve;
  if (stored !== undefined) {
    const check = checkStoredPlan(stored, plan.operations, basis);
    if (!check.ok) {
      return { action: 'refuse', reason: check.reason };
    }
    if (stored.origin !== 'saved-plan' || options.force) {
      return { action: 'apply', operations: stored.operations };
    }
    const verdict = await limitsVerdict(deps, plan, options);
    return verdict.exceeded
      ? {
          action: 'refuse',
          reason: `${verdict.reason}; apply the saved plan with --force to override`,
        }
      : { action: 'apply', operations: stored.operations };
  }
  if (options.force) {
    return { action: 'apply', operations: plan.operations };
  }
  const verdict = await limitsVerdict(deps, plan, options);
  return verdict.exceeded
    ? { action: 'quarantine', reason: verdict.reason }
    : { action: 'apply', operations: plan.operations };
}

/** Checks the plan against the configured limits (counting the keys deprovisions would delete). */
async function limitsVerdict(
  deps: ReconcileDeps,
  plan: Plan,
  options: RunOptions,
): Promise<ThresholdVerdict> {
  const thresholds = deps.safety?.thresholds;
  const needsKeys =
    thresholds !== undefined &&
    thresholds.keyDeletions.maxCount > 0 &&
    (plan.counts.deprovisionUser ?? 0) > 0;
  const keys = needsKeys ? await countKeysToDelete(deps.target, plan, options.signal) : 0;
  return thresholds === undefined
    ? checkThreshold(plan, deps.threshold)
    : checkThresholds(plan, thresholds, keys);
}
