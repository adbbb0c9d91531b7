import type { Operation } from '../../reconcile/operations.js';
import type { AppContext } from '../context.js';
import { exitCodeFor, exitCodes } from '../exit-codes.js';
import { formatReport } from '../format.js';
import type { Output } from '../output.js';
import { applyStoredPlan } from './apply-stored.js';

export type DecideOptions = { readonly runId: string; readonly by: string; readonly json: boolean };

/**
 * `approve <run>`: re-reads the IdP and LiteLLM, re-plans, and applies the quarantined
 * operations exactly if the fresh plan is the same; otherwise refuses (exit 3) and says what
 * changed. The approval (who, when, which run applied it) is recorded.
 */
export async function runApprove(
  app: AppContext,
  options: DecideOptions,
  out: Output,
  signal?: AbortSignal,
): Promise<number> {
  const quarantine = pending(app, options.runId, out);
  if (quarantine === undefined) {
    return exitCodes.usage;
  }
  const operations = app.store.operations(quarantine.runId).map(op => op.payload as Operation);
  const report = await applyStoredPlan(
    app,
    quarantine.source,
    { runId: quarantine.runId, origin: 'quarantine', operations },
    { by: options.by },
    signal,
  );
  if (report.status === 'refused') {
    app.store.noteQuarantine(quarantine.runId, report.refusedBecause ?? 'refused');
  } else if (report.status !== 'failed' || report.plan !== undefined) {
    app.store.decideQuarantine(quarantine.runId, {
      state: 'approved',
      by: options.by,
      appliedRun: report.runId,
    });
  }
  if (options.json) {
    out.json(report);
  } else {
    out.line(formatReport(report));
    out.line(
      report.status === 'refused'
        ? `approval of ${quarantine.runId} refused`
        : `approved ${quarantine.runId} by ${options.by}; applied as run ${report.runId}`,
    );
  }
  return exitCodeFor(report.status);
}

/** `reject <run>`: discards a quarantined plan; nothing is applied. */
export function runReject(app: AppContext, options: DecideOptions, out: Output): number {
  const quarantine = pending(app, options.runId, out);
  if (quarantine === undefined) {
    return exitCodes.usage;
  }
  app.store.decideQuarantine(quarantine.runId, { state: 'rejected', by: options.by });
  if (options.json) {
    out.json(app.store.getQuarantine(quarantine.runId));
  } else {
    out.line(`rejected ${quarantine.runId} by ${options.by}; nothing was applied`);
  }
  return exitCodes.ok;
}

function pending(app: AppContext, runId: string, out: Output) {
  const match = app.store
    .quarantines({ state: 'pending' })
    .filter(q => q.runId === runId || q.runId.startsWith(runId));
  if (match.length !== 1) {
    const known = app.store.getQuarantine(runId);
    out.error(
      known !== undefined
        ? `run ${runId} is not awaiting a decision (it is ${known.state}${known.decidedBy === null ? '' : ` by ${known.decidedBy}`})`
        : `no quarantined run ${runId}${match.length > 1 ? ' (ambiguous prefix)' : ''}; see \`idp-sync status\``,
    );
    return undefined;
  }
  return match[0];
}
