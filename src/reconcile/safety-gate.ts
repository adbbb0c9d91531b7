import type { Snapshot } from '../model.js';
import type { Ownership } from '../store/types.js';
import { comparePlans } from './approval.js';
import { countKeysToDelete } from './dry-run-keys.js';
import { nextAbsences, type LifecycleInput } from './lifecycle.js';
import type { Operation } from './operations.js';
import type { Plan } from './plan-types.js';
import type { ReconcileDeps, RunOptions } from './run-types.js';
import { checkThreshold, checkThresholds } from './threshold.js';

/**
 * The lifecycle input of a full plan: the policy, the clock, the suspensions and the absence
 * counts including this snapshot. A complete, applied run persists the new counts (even if the
 * plan is then quarantined: the snapshot was observed); a dry run does not, and an approval's
 * re-read does not advance them (it must reproduce the quarantined plan, not a later one).
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
    if (options.approve !== undefined) {
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
 * The circuit breaker. An approval applies the quarantined operations exactly, if a fresh plan
 * equals them; otherwise it is refused, naming what changed. Otherwise a plan over any limit is
 * quarantined unless forced.
 */
export async function gate(
  deps: ReconcileDeps,
  plan: Plan,
  options: RunOptions,
): Promise<GateDecision> {
  if (options.approve !== undefined) {
    const comparison = comparePlans(options.approve.operations, plan.operations);
    return comparison.same
      ? { action: 'apply', operations: options.approve.operations }
      : {
          action: 'refuse',
          reason: `the world changed since run ${options.approve.runId} was quarantined (${comparison.changes}); nothing was applied — review the new plan`,
        };
  }
  if (options.force) {
    return { action: 'apply', operations: plan.operations };
  }
  const thresholds = deps.safety?.thresholds;
  const needsKeys =
    thresholds !== undefined &&
    thresholds.keyDeletions.maxCount > 0 &&
    (plan.counts.deprovisionUser ?? 0) > 0;
  const keys = needsKeys ? await countKeysToDelete(deps.target, plan, options.signal) : 0;
  const verdict =
    thresholds === undefined
      ? checkThreshold(plan, deps.threshold)
      : checkThresholds(plan, thresholds, keys);
  return verdict.exceeded
    ? { action: 'quarantine', reason: verdict.reason }
    : { action: 'apply', operations: plan.operations };
}
