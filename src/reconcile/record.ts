import type { Store } from '../store/types.js';
import { apply, type Outcome } from './apply.js';
import type { AuditContext } from './audit.js';
import { operationSubject, type Operation } from './operations.js';
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
): Promise<Outcome[]> {
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

/** Stores operations under the run, each `pending` until its outcome is recorded. */
export function recordPlan(store: Store, runId: string, operations: readonly Operation[]): void {
  store.recordOperations(
    runId,
    operations.map((op, seq) => ({
      seq,
      kind: op.kind,
      subject: operationSubject(op),
      payload: op,
    })),
  );
}
