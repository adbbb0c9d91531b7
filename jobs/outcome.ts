/**
 * The failure policy: what a finished run means for its job.
 *
 * - succeeded → the job completes with the run's counts;
 * - failed, incomplete or partial because of something transient (network, 429, 5xx: a
 *   `SyncError` with `retryable`) → the job throws and BullMQ retries it with exponential
 *   backoff and jitter; the next attempt re-plans from the current state;
 * - failed because of configuration or credentials, refused by the deprovision threshold, or
 *   failed for a reason that will not change by itself → `UnrecoverableError`: fails at once,
 *   without retries, with the reason.
 *
 * An incomplete snapshot never succeeds (the engine removed nothing), so it is retried or failed
 * like any other failure.
 */
import { UnrecoverableError } from 'bullmq';

import { ConfigError, SyncError, errorMessage, type SyncErrorCode } from '../src/errors.js';
import type { RunReport } from '../src/reconcile/run-types.js';
import type { RunStatus } from '../src/store/types.js';
import type { JobOutcome } from './names.js';

/** Codes no retry can fix: someone has to change a credential or the configuration. */
const setupCodes: ReadonlySet<SyncErrorCode> = new Set([
  'CONFIG_INVALID',
  'SOURCE_UNAUTHORIZED',
  'TARGET_UNAUTHORIZED',
]);

/** A run that failed in a way worth another attempt. */
export class RetryableRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryableRunError';
  }
}

/**
 * The job's result for finished runs, or the error that fails (or retries) it.
 * @param errors what the runs' source and target threw (see record-errors.ts)
 * @throws UnrecoverableError or RetryableRunError, as described above
 */
export function settle(
  source: string,
  reports: readonly RunReport[],
  errors: readonly unknown[],
  extra: Partial<JobOutcome> = {},
): JobOutcome {
  const outcome = summarise(source, reports, extra);
  const bad = reports.filter(r => r.status !== 'succeeded' && r.status !== 'planned');
  if (bad.length === 0) {
    return outcome;
  }
  const refused = bad.find(r => r.status === 'refused');
  if (refused !== undefined) {
    throw new UnrecoverableError(
      `${source}: refused by the deprovision threshold: ${refused.refusedBecause ?? ''}. ${refused.quarantined === true ? `Quarantined as run ${refused.runId}: review with \`idp-sync status\`, then \`idp-sync approve ${refused.runId} --by <you>\` or \`idp-sync reject ${refused.runId}\`.` : `Review with \`idp-sync plan --source ${source}\`, then run \`idp-sync sync --force --source ${source}\` if it is right.`}`,
    );
  }
  const reason = bad.map(describeRun).join('; ');
  const setup = errors.find(isSetupError);
  if (setup !== undefined) {
    throw new UnrecoverableError(
      `${source}: ${describeError(setup)} (fix the configuration or credentials; retrying cannot help). Run: ${reason}`,
    );
  }
  if (errors.length === 0 || errors.some(isTransient)) {
    throw new RetryableRunError(`${source}: ${reason}`);
  }
  throw new UnrecoverableError(`${source}: ${reason} (${errors.map(describeError).join('; ')})`);
}

/** An error thrown outside any run (the job's own code): setup errors are final, others retried. */
export function classifyThrown(error: unknown): Error {
  if (error instanceof UnrecoverableError || error instanceof RetryableRunError) {
    return error;
  }
  if (isSetupError(error)) {
    return new UnrecoverableError(describeError(error));
  }
  return error instanceof Error ? error : new RetryableRunError(errorMessage(error));
}

function isSetupError(error: unknown): boolean {
  return error instanceof ConfigError || (error instanceof SyncError && setupCodes.has(error.code));
}

/** Transient: a retryable `SyncError`, or anything that is not a `SyncError` (a network error, a bug). */
function isTransient(error: unknown): boolean {
  if (error instanceof SyncError) {
    return error.retryable || error.code === 'ABORTED';
  }
  return !(error instanceof ConfigError);
}

function describeError(error: unknown): string {
  return error instanceof SyncError ? `${error.code}: ${error.message}` : errorMessage(error);
}

function describeRun(report: RunReport): string {
  const who = report.kind === 'user' ? `user ${report.subject ?? '?'}` : 'full run';
  const why =
    report.error ??
    (report.problems.length > 0 ? report.problems.join(', ') : failedOperations(report));
  return `${who} ${report.status} (run ${report.runId})${why === '' ? '' : `: ${why}`}`;
}

function failedOperations(report: RunReport): string {
  const failed = report.failures.length;
  return failed === 0 ? '' : `${failed} operation(s) failed`;
}

function summarise(
  source: string,
  reports: readonly RunReport[],
  extra: Partial<JobOutcome>,
): JobOutcome {
  const applied: Record<string, { ok: number; failed: number }> = {};
  for (const report of reports) {
    for (const [kind, counts] of Object.entries(report.applied)) {
      const entry = (applied[kind] ??= { ok: 0, failed: 0 });
      entry.ok += counts.ok;
      entry.failed += counts.failed;
    }
  }
  const deferred = reports.flatMap(r => r.plan?.deferredUsers ?? []);
  return {
    source,
    status: worstStatus(reports.map(r => r.status)),
    runIds: reports.map(r => r.runId),
    applied,
    keysDeleted: reports.reduce((sum, r) => sum + r.keysDeleted, 0),
    problems: reports.flatMap(r => r.problems),
    ...(deferred.length > 0 ? { deferredUsers: deferred } : {}),
    ...extra,
  };
}

const statusRank: readonly RunStatus[] = [
  'succeeded',
  'planned',
  'running',
  'partial',
  'incomplete',
  'interrupted',
  'failed',
  'refused',
];

function worstStatus(statuses: readonly RunStatus[]): RunStatus {
  if (statuses.length === 0) {
    return 'succeeded';
  }
  return statuses.reduce((worst, s) =>
    statusRank.indexOf(s) > statusRank.indexOf(worst) ? s : worst,
  );
}
