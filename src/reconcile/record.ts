import type { Store } from '../store/types.js';
import { apply } from './apply.js';
import type { AuditContext } from './audit.js';
import { operationSubject, type Operation } from './operations.js';
import type { ApplyResult } from './outcome.js';
import type { Plan } from './plan-types.js';
import type { ReconcileDeps } from './run-types.js';

/**
 * Stores the plan's operations under the run (so a crash leaves a record of what was intended),
 * then applies them, recording each outcome as it lands.
 */
export async function recordAndApply(
  plan: Plan,
  run: {
    runId: string;
    source: string;
    signal?: AbortSignal | undefined;
    now?: (() => number) | undefined;
    audit?: AuditContext | undefined;
  },
  deps: ReconcileDeps,
  onEach?: () => void,
): Promise<ApplyResult> {
  recordPlan(deps.store, run.runId, plan.operations);
  return apply(plan.operations, run, {
    target: deps.target,
    store: deps.store,
    logger: deps.logger,
    concurrency: deps.concurrency,
    onOutcome: (_outcome, done, total) => {
      onEach?.();
      deps.onProgress?.(done, total);
    },
  });
}

/** Operations serialised per store call: bounds the memory of recording a large plan. */
const recordChunk = 1000;

/**
 * Stores operations under the run, each `pending` until its outcome is recorded. All of them land
 * in one transaction, but they are serialised a chunk at a time: at L the plan is 107,000
 * operations, and one array of all their rows was a visible share of the run's peak memory.
 */
export function recordPlan(store: Store, runId: string, operations: readonly Operation[]): void {
  store.batch(() => {
    for (let start = 0; start < operations.length; start += recordChunk) {
      store.recordOperations(
        runId,
        operations.slice(start, start + recordChunk).map((op, i) => ({
          seq: start + i,
          kind: op.kind,
          subject: operationSubject(op),
          payload: op,
        })),
      );
    }
  });
}
