/**
 * Full reconciles on the queue (`full-reconcile`, `resync --all`): at most one per source at a
 * time across every worker process, then a repair pass for users a login sync touched meanwhile.
 */
import { reconcileFull } from '../src/reconcile/reconcile-full.js';
import type { Operation } from '../src/reconcile/operations.js';
import type { RunReport } from '../src/reconcile/run-types.js';
import type { Store } from '../src/store/types.js';
import { lockKey, postpone, type JobContext, type JobRun } from './context.js';
import { enqueueUserSync } from './enqueue.js';
import { describeHolder, tryLock } from './lock.js';
import type { FullReconcileMode, FullReconcileTrigger, JobOutcome } from './names.js';
import { settle } from './outcome.js';
import { recordingErrors } from './record-errors.js';

/** The source lock outlives a crashed holder by this much; renewed every third of it. */
const fullLockTtlMs = 30_000;

/**
 * Runs one full reconcile of `source` if no other worker is running one. When one is, a
 * scheduled delta run is dropped (the running one reads at least as much, and the next tick
 * comes soon); anything else — the daily drift check, a manual request — waits its turn.
 */
export async function handleFullReconcile(
  ctx: JobContext,
  run: JobRun,
  source: string,
  mode: FullReconcileMode,
  trigger: FullReconcileTrigger,
): Promise<JobOutcome> {
  const log = ctx.logger.child({ jobId: run.job.id, source });
  const taken = await tryLock(ctx.redis, lockKey(ctx.settings, `full-${source}`), {
    ttlMs: fullLockTtlMs,
    label: `job ${run.job.id ?? '?'} (${run.job.name} ${mode})`,
    onLost: holder =>
      log.error(
        { holder },
        'the full-reconcile lock was taken over; the store lease still keeps the runs apart',
      ),
    onRenewError: error =>
      log.warn({ err: String(error) }, 'could not renew the full-reconcile lock; retrying'),
  });
  if (!taken.acquired) {
    return whenBusy(ctx, run, source, mode, trigger, describeHolder(taken.holder));
  }
  const startedAt = Date.now();
  const recording = recordingErrors(ctx.depsFor(source));
  let report: RunReport;
  try {
    report = await reconcileFull(recording.deps, {
      dryRun: false,
      force: false,
      trigger: trigger === 'schedule' ? 'schedule' : 'manual',
      mode: mode === 'delta' ? 'incremental' : 'full',
      signal: run.signal,
    });
  } finally {
    await taken.lock.release();
  }
  run.signal?.throwIfAborted();
  if (report.status === 'failed' && report.error !== undefined && leaseBusy.test(report.error)) {
    // The Redis lock was free but the store lease was not: Redis lost the key (a restart
    // without persistence) while a run was still going. Same answer as a taken lock.
    return whenBusy(ctx, run, source, mode, trigger, report.error);
  }
  const repairs = await enqueueRepairs(ctx, recording.deps.store, source, report, startedAt);
  return settle(source, [report], recording.errors, repairs > 0 ? { enqueued: repairs } : {});
}

/** The engine's message when its store lease is held (reconcile-full.ts). */
const leaseBusy = /another full run of .+ is in progress/;

async function whenBusy(
  ctx: JobContext,
  run: JobRun,
  source: string,
  mode: FullReconcileMode,
  trigger: FullReconcileTrigger,
  holder: string,
): Promise<JobOutcome> {
  if (trigger === 'schedule' && mode === 'delta') {
    const reason = `another full reconcile of ${source} is running (${holder}); this scheduled run is dropped, the next one covers it`;
    await run.job.log(reason);
    return {
      source,
      status: 'skipped',
      reason,
      runIds: [],
      applied: {},
      keysDeleted: 0,
      problems: [],
    };
  }
  return postpone(
    run,
    ctx.busyRetryMs,
    `waiting for the full reconcile of ${source} held by ${holder}`,
  );
}

/**
 * The window the planner cannot see: a login sync that starts after this run planned, while
 * its operations about the same user are still being applied, may have its fresher changes
 * overwritten. Every user a per-user sync marked since this run began, and whom this run's plan
 * touched or deferred, gets one more per-user sync now — it reads the IdP afresh and settles
 * them.
 * @returns how many syncs were enqueued
 */
async function enqueueRepairs(
  ctx: JobContext,
  store: Store,
  source: string,
  report: RunReport,
  since: number,
): Promise<number> {
  const marked = store.userSyncMarks(source, since);
  if (marked.size === 0 || report.plan === undefined) {
    return 0;
  }
  const owners = new Map(
    [...store.ownership(source).users.values()].map(u => [u.userId, u.externalId]),
  );
  const touched = new Set(report.plan.deferredUsers ?? []);
  for (const op of report.plan.operations) {
    for (const person of peopleOf(op)) {
      touched.add(owners.get(person) ?? person);
    }
  }
  const subjects = [...marked.keys()].filter(externalId => touched.has(externalId));
  for (const subject of subjects) {
    await enqueueUserSync(ctx.queue, { source, subject }, { debounceMs: 0 });
  }
  return subjects.length;
}

/** The users an operation is about: external ids where it names them, LiteLLM user ids otherwise. */
function peopleOf(op: Operation): string[] {
  switch (op.kind) {
    case 'createTeam':
    case 'adoptTeam':
    case 'renameTeam':
    case 'retireTeam':
      return [];
    case 'createUser':
    case 'adoptUser':
    case 'updateUser':
    case 'deprovisionUser':
    case 'suspendUser':
    case 'restoreUser':
      return [op.externalId, op.userId];
    case 'addMembers':
      return op.members.map(m => m.userId);
    case 'removeMember':
    case 'forgetGrant':
    case 'forgetUser':
      return [op.userId];
  }
}
