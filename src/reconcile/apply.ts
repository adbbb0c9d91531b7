import { errorMessage } from '../errors.js';
import { mapLimit } from '../http/limit.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';
import type { Target } from '../target/types.js';
import { recordAuditEntry, type AuditContext } from './audit.js';
import { execute, type OperationDetail } from './execute.js';
import { createKeyedMutex } from './keyed-mutex.js';
import { operationPhase, type Operation } from './operations.js';

/** The result of one operation. A failure is an outcome, not an aborted run. */
export type Outcome =
  | {
      readonly seq: number;
      readonly op: Operation;
      readonly ok: true;
      readonly detail: OperationDetail;
    }
  | { readonly seq: number; readonly op: Operation; readonly ok: false; readonly error: string };

export type ApplyDeps = {
  readonly target: Target;
  readonly store: Store;
  readonly logger: Logger;
  /** Operations in flight at once within a phase. */
  readonly concurrency: number;
  /** Called after each operation, for progress displays and lease renewal. */
  readonly onOutcome?: ((outcome: Outcome, done: number, total: number) => void) | undefined;
};

/**
 * Applies a plan already stored under `runId` (operation `seq` = index in `operations`): phase by
 * phase in dependency order, with bounded concurrency inside a phase, recording every outcome.
 * One failing operation does not stop the others; a failed create only costs the memberships
 * that needed it, which are not attempted and are retried by the next run.
 */
export async function apply(
  operations: readonly Operation[],
  run: {
    readonly runId: string;
    readonly source: string;
    readonly signal?: AbortSignal | undefined;
    readonly now?: (() => number) | undefined;
    /** When set, every outcome is also written to the audit log. */
    readonly audit?: AuditContext | undefined;
  },
  deps: ApplyDeps,
): Promise<Outcome[]> {
  const { audit, ...rest } = run;
  const ctx = { ...rest, target: deps.target, store: deps.store, teamLock: createKeyedMutex() };
  const outcomes: Outcome[] = [];
  // LiteLLM's `/team/member_add` creates a user it does not know, bare (no alias, no SSO id, no
  // ownership marker), so an add must not run for a user whose create failed (issue 11).
  const notCreated = new Set<string>();
  for (const phase of phasesOf(operations)) {
    const settled = await mapLimit(phase, deps.concurrency, async ({ op, seq }) => {
      run.signal?.throwIfAborted();
      const missing =
        op.kind === 'addMembers'
          ? op.members.filter(m => notCreated.has(m.userId)).map(m => m.userId)
          : [];
      const outcome: Outcome =
        missing.length > 0
          ? { seq, op, ok: false, error: `not applied: user ${missing.join(', ')} was not created` }
          : await runOne(op, seq, ctx);
      if (!outcome.ok && op.kind === 'createUser') {
        notCreated.add(op.userId);
      }
      deps.store.completeOperation(
        run.runId,
        seq,
        outcome.ok
          ? { status: 'ok', detail: outcome.detail }
          : { status: 'failed', error: outcome.error },
      );
      if (audit !== undefined) {
        const at = (run.now ?? Date.now)();
        recordAuditEntry(
          deps.store,
          { runId: run.runId, source: run.source, at },
          audit,
          outcome.ok ? { seq, op, detail: outcome.detail } : { seq, op, error: outcome.error },
        );
      }
      if (!outcome.ok) {
        deps.logger.warn(
          { runId: run.runId, seq, kind: op.kind, error: outcome.error },
          'operation failed',
        );
      }
      outcomes.push(outcome);
      deps.onOutcome?.(outcome, outcomes.length, operations.length);
      return outcome;
    });
    for (const result of settled) {
      // Only an abort rejects (runOne turns every other failure into an outcome).
      if (result.status === 'rejected') {
        throw result.reason;
      }
    }
  }
  return outcomes.sort((a, b) => a.seq - b.seq);
}

async function runOne(
  op: Operation,
  seq: number,
  ctx: Parameters<typeof execute>[1],
): Promise<Outcome> {
  try {
    return { seq, op, ok: true, detail: await execute(op, ctx) };
  } catch (error) {
    if (ctx.signal?.aborted === true) {
      throw error;
    }
    return { seq, op, ok: false, error: errorMessage(error) };
  }
}

/** Groups operations by phase, keeping each one's index as its `seq`. */
function phasesOf(operations: readonly Operation[]): { op: Operation; seq: number }[][] {
  const phases = new Map<number, { op: Operation; seq: number }[]>();
  operations.forEach((op, seq) => {
    const phase = operationPhase[op.kind];
    const items = phases.get(phase);
    if (items === undefined) {
      phases.set(phase, [{ op, seq }]);
    } else {
      items.push({ op, seq });
    }
  });
  return [...phases.entries()].sort(([a], [b]) => a - b).map(([, items]) => items);
}
