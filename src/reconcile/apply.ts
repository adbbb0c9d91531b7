import { errorMessage } from '../errors.js';
import { mapLimit } from '../http/limit.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';
import type { Target } from '../target/types.js';
import { createAuditRecorder, type AuditContext } from './audit.js';
import { execute, recordIntent, withdrawIntent, type ExecuteContext } from './execute.js';
import { createKeyedMutex } from './keyed-mutex.js';
import { operationPhase, type Operation } from './operations.js';
import { createTally, type ApplyResult, type Outcome } from './outcome.js';
import { createOutcomeJournal, type OutcomeJournal } from './outcome-journal.js';

export type { Outcome } from './outcome.js';

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
): Promise<ApplyResult> {
  const { audit, ...rest } = run;
  const ctx = { ...rest, target: deps.target, store: deps.store, teamLock: createKeyedMutex() };
  const tally = createTally();
  const recordAudit =
    audit === undefined
      ? undefined
      : createAuditRecorder(
          deps.store,
          { runId: run.runId, source: run.source, now: run.now ?? Date.now },
          audit,
        );
  const journal = createOutcomeJournal(deps.store, run.runId, recordAudit);
  try {
    return await applyPhases(operations, run.signal, { ...deps, ctx, tally, journal });
  } finally {
    journal.flush();
  }
}

async function applyPhases(
  operations: readonly Operation[],
  signal: AbortSignal | undefined,
  deps: ApplyDeps & {
    readonly ctx: ExecuteContext;
    readonly tally: ReturnType<typeof createTally>;
    readonly journal: OutcomeJournal;
  },
): Promise<ApplyResult> {
  const { ctx, tally, journal } = deps;
  let done = 0;
  // LiteLLM's `/team/member_add` creates a user it does not know, bare (no alias, no SSO id, no
  // ownership marker), so an add must not run for a user whose create failed (issue 11).
  const notCreated = new Set<string>();
  for (const phase of phasesOf(operations)) {
    // Write-ahead ownership for the whole phase, in one commit (execute.ts recordIntent).
    deps.store.batch(() => {
      for (const { op } of phase) {
        recordIntent(op, ctx);
      }
    });
    const settled = await mapLimit(phase, deps.concurrency, async ({ op, seq }) => {
      if (signal?.aborted === true) {
        // Never attempted: its write-ahead grants would describe memberships that do not exist.
        withdrawIntent(op, ctx);
        signal.throwIfAborted();
      }
      const missing =
        op.kind === 'addMembers'
          ? op.members.filter(m => notCreated.has(m.userId)).map(m => m.userId)
          : [];
      const outcome: Outcome =
        missing.length > 0 ? skipAdd(op, seq, missing, ctx) : await runOne(op, seq, ctx);
      if (!outcome.ok && op.kind === 'createUser') {
        notCreated.add(op.userId);
      }
      journal.add(outcome);
      if (!outcome.ok) {
        deps.logger.warn(
          { runId: ctx.runId, seq, kind: op.kind, error: outcome.error },
          'operation failed',
        );
      }
      tally.add(outcome);
      done += 1;
      deps.onOutcome?.(outcome, done, operations.length);
      return undefined;
    });
    for (const result of settled) {
      // Only an abort rejects (runOne turns every other failure into an outcome).
      if (result.status === 'rejected') {
        throw result.reason;
      }
    }
  }
  return tally.result();
}

/** An add not attempted because a member's create failed (its grants are taken back). */
function skipAdd(
  op: Operation,
  seq: number,
  missing: readonly string[],
  ctx: ExecuteContext,
): Outcome {
  withdrawIntent(op, ctx);
  return { seq, op, ok: false, error: `not applied: user ${missing.join(', ')} was not created` };
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
