import type { OperationDetail } from './execute-context.js';
import type { Operation, OperationKind } from './operations.js';

/** The result of one operation. A failure is an outcome, not an aborted run. */
export type Outcome =
  | {
      readonly seq: number;
      readonly op: Operation;
      readonly ok: true;
      readonly detail: OperationDetail;
    }
  | FailedOutcome;

/** An operation that did not succeed, with the reason. */
export type FailedOutcome = {
  readonly seq: number;
  readonly op: Operation;
  readonly ok: false;
  readonly error: string;
};

/** Counts of applied outcomes per operation kind. */
export type OutcomeCounts = Partial<Record<OperationKind, { ok: number; failed: number }>>;

/**
 * What applying a plan did. Successful outcomes are not kept: each one is in the store (its
 * operation row, with details), and at L a list of 110,000 of them was a large share of the
 * run's peak memory (BENCHMARKS.md). Failures are kept for the report.
 */
export type ApplyResult = {
  readonly applied: OutcomeCounts;
  /** Failed operations, in plan order. */
  readonly failures: readonly FailedOutcome[];
  /** Keys the run's deprovisions deleted, from their outcome details. */
  readonly keysDeleted: number;
};

/** Accumulates outcomes into an {@link ApplyResult} as they land. */
export function createTally(): { add(outcome: Outcome): void; result(): ApplyResult } {
  const applied: OutcomeCounts = {};
  const failures: FailedOutcome[] = [];
  let keysDeleted = 0;
  return {
    add(outcome) {
      const entry = (applied[outcome.op.kind] ??= { ok: 0, failed: 0 });
      if (outcome.ok) {
        entry.ok += 1;
        const keys = outcome.detail['keysDeleted'];
        keysDeleted += typeof keys === 'number' ? keys : 0;
      } else {
        entry.failed += 1;
        failures.push(outcome);
      }
    },
    result: () => ({
      applied,
      failures: [...failures].sort((a, b) => a.seq - b.seq),
      keysDeleted,
    }),
  };
}
