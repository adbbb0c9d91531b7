import type { Store } from '../store/types.js';
import type { AuditedOutcome } from './audit.js';
import type { Outcome } from './outcome.js';

/** How outcome rows are grouped into store commits. */
export type JournalOptions = {
  /** Flush once this many outcomes wait. @defaultValue 200 */
  readonly maxPending?: number | undefined;
  /** Flush at most this long after the first waiting outcome landed. @defaultValue 100 */
  readonly maxDelayMs?: number | undefined;
};

/** Writes outcome rows (and their audit entries) in groups; see {@link createOutcomeJournal}. */
export type OutcomeJournal = {
  add(outcome: Outcome): void;
  /** Writes everything waiting, now. */
  flush(): void;
};

/**
 * Records each outcome's operation row and audit entry, a group at a time: one commit per
 * outcome blocked the event loop for ~0.1 ms each while LiteLLM requests waited (BENCHMARKS.md).
 * Only this record is deferred, never ownership (that is written ahead, execute.ts): a crash
 * loses at most the last `maxDelayMs` of outcome rows, which then read `pending` in a run marked
 * interrupted — "may have happened", exactly like the operations in flight at the crash — and the
 * next run re-plans from LiteLLM's real state.
 */
export function createOutcomeJournal(
  store: Pick<Store, 'batch' | 'completeOperation'>,
  runId: string,
  recordAudit: ((outcome: AuditedOutcome) => void) | undefined,
  options: JournalOptions = {},
): OutcomeJournal {
  const maxPending = options.maxPending ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 100;
  let pending: Outcome[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = (): void => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.length === 0) {
      return;
    }
    const batch = pending;
    pending = [];
    store.batch(() => {
      for (const outcome of batch) {
        write(store, runId, recordAudit, outcome);
      }
    });
  };

  return {
    add(outcome) {
      pending.push(outcome);
      if (pending.length >= maxPending) {
        flush();
      } else if (timer === undefined) {
        timer = setTimeout(flush, maxDelayMs);
        // A waiting flush must not keep the process alive; apply flushes before it returns.
        timer.unref();
      }
    },
    flush,
  };
}

function write(
  store: Pick<Store, 'completeOperation'>,
  runId: string,
  recordAudit: ((outcome: AuditedOutcome) => void) | undefined,
  outcome: Outcome,
): void {
  const { seq, op } = outcome;
  store.completeOperation(
    runId,
    seq,
    outcome.ok
      ? { status: 'ok', detail: outcome.detail }
      : { status: 'failed', error: outcome.error },
  );
  recordAudit?.(
    outcome.ok ? { seq, op, detail: outcome.detail } : { seq, op, error: outcome.error },
  );
}
