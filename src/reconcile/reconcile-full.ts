import { errorMessage } from '../errors.js';
import type { Snapshot } from '../model.js';
import type { ReadMode } from '../sources/types.js';
import type { RunStatus } from '../store/types.js';
import type { Team, User } from '../target/types.js';
import { plan as computePlan } from './plan.js';
import type { Plan } from './plan-types.js';
import { readTargetState } from './read-target.js';
import { recordAndApply, recordPlan } from './record.js';
import { type ReconcileDeps, type RunOptions, type RunReport } from './run-types.js';
import { readSnapshot } from './snapshot.js';
import { gate, lifecycleForFull } from './safety-gate.js';
import { countKeysToDelete } from './dry-run-keys.js';
import { planBasis } from './basis.js';

/** How long a full run's lease lasts without renewal. */
const lockTtlMs = 120_000;
/**
 * How often applying renews the lease: a renewal per operation was a store commit per operation
 * (BENCHMARKS.md); every 10 s leaves the 120 s lease ample margin.
 */
const lockRenewMs = 10_000;

type Reads = { snapshot: Snapshot; teams: Map<string, Team>; users: User[] };

/**
 * A full reconcile of one source (product.md §4): read the IdP and LiteLLM, plan, check the
 * deprovision threshold, apply. Every step is recorded; the report says what happened.
 */
export async function reconcileFull(deps: ReconcileDeps, options: RunOptions): Promise<RunReport> {
  const started = deps.now().getTime();
  const runId = deps.newRunId();
  const source = deps.source.name;
  const log = deps.logger.child({ runId, source });
  deps.store.startRun({
    runId,
    source,
    kind: 'full',
    trigger: options.trigger,
    dryRun: options.dryRun,
  });
  const base = { runId, source, kind: 'full' as const, dryRun: options.dryRun };
  const finish = (
    status: RunStatus,
    report: Omit<RunReport, keyof typeof base | 'status' | 'durationMs'>,
  ): RunReport => {
    const full: RunReport = {
      ...base,
      ...report,
      status,
      durationMs: deps.now().getTime() - started,
      sourceUsage: deps.source.usage?.(),
    };
    deps.store.finishRun(runId, status, summarise(full), report.error ?? report.refusedBecause);
    log.info({ status, applied: full.applied, durationMs: full.durationMs }, 'run finished');
    return full;
  };
  const empty = {
    complete: false,
    problems: [],
    plan: undefined,
    failures: [],
    applied: {},
    keysDeleted: 0,
    read: noReads,
  };

  if (!options.dryRun) {
    const lock = deps.store.acquireLock(source, runId, lockTtlMs);
    if (!lock.acquired) {
      return finish('failed', {
        ...empty,
        error: `another full run of ${source} is in progress (run ${lock.heldBy.runId}, ${lock.heldBy.host} pid ${lock.heldBy.pid})`,
      });
    }
    pruneAudit(deps);
    const interrupted = deps.store.interruptRuns(source, runId);
    if (interrupted.length > 0) {
      log.warn(
        { interrupted },
        'earlier runs ended without finishing; this run re-plans from current state',
      );
    }
  }
  try {
    // Taken before either read starts: a per-user sync marked at or after it saw fresher data.
    const readStartedAt = deps.now().getTime();
    let reads: Reads;
    try {
      reads = await readAll(deps, options.mode ?? 'full', options.signal);
    } catch (error) {
      return finish('failed', { ...empty, error: `reading LiteLLM: ${errorMessage(error)}` });
    }
    const { snapshot } = reads;
    log.info(
      {
        users: snapshot.users.size,
        groups: snapshot.groups.length,
        teams: reads.teams.size,
        complete: snapshot.complete,
      },
      'read',
    );
    const ownership = deps.store.ownership(source);
    const lifecycle = lifecycleForFull(deps, ownership, snapshot, runId, options);
    const basis =
      options.withBasis === true || options.approve?.basis !== undefined
        ? planBasis({
            snapshot,
            teams: reads.teams,
            users: reads.users,
            ownership,
            suspensions: lifecycle?.suspended ?? new Map(),
          })
        : undefined;
    const plan = computePlan({
      source,
      scope: { kind: 'full', complete: snapshot.complete },
      lifecycle,
      users: snapshot.users,
      groups: snapshot.groups,
      teams: reads.teams,
      litellmUsers: reads.users,
      ownership,
      rules: deps.rules,
      readStartedAt,
      userSyncMarks: deps.store.userSyncMarks(source, readStartedAt),
    });
    const read = {
      idpUsers: snapshot.users.size,
      idpGroups: snapshot.groups.length,
      teams: reads.teams.size,
      litellmUsers: reads.users.length,
    };
    const planned = { complete: snapshot.complete, problems: snapshot.problems, plan, read, basis };
    if (options.dryRun) {
      const keys = await countKeysToDelete(deps.target, plan, options.signal);
      return finish('planned', { ...planned, failures: [], applied: {}, keysDeleted: keys });
    }
    const decision = await gate(deps, plan, options, basis);
    if (decision.action !== 'apply') {
      if (decision.action === 'quarantine') {
        // Persisted with its operations (pending, never applied) until approved or rejected.
        recordPlan(deps.store, runId, plan.operations);
        deps.store.quarantine({ runId, source, reason: decision.reason });
        log.warn({ reason: decision.reason }, 'plan quarantined');
      }
      return finish('refused', {
        ...planned,
        failures: [],
        applied: {},
        keysDeleted: 0,
        refusedBecause: decision.reason,
        quarantined: decision.action === 'quarantine',
      });
    }
    if (options.approve === undefined) {
      deps.store.supersedeQuarantines(source, runId);
    }
    const result = await recordAndApply(
      { ...plan, operations: decision.operations },
      {
        runId,
        source,
        signal: options.signal,
        now: () => deps.now().getTime(),
        audit: { trigger: options.trigger, actor: options.actor, state: reads },
      },
      deps,
      renewEvery(
        lockRenewMs,
        () => deps.now().getTime(),
        () => {
          deps.store.renewLock(source, runId, lockTtlMs);
        },
      ),
    );
    return finish(statusOf(snapshot, result), { ...planned, ...result });
  } finally {
    if (!options.dryRun) {
      deps.store.releaseLock(source, runId);
    }
  }
}

/** Wraps `renew` so that it runs at most once per `everyMs` (the first call always runs). */
function renewEvery(everyMs: number, now: () => number, renew: () => void): () => void {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const at = now();
    if (at - last >= everyMs) {
      last = at;
      renew();
    }
  };
}

/** Drops audit entries older than AUDIT_RETENTION (0 keeps them forever). */
function pruneAudit(deps: ReconcileDeps): void {
  const retention = deps.safety?.auditRetentionMs ?? 0;
  if (retention > 0) {
    deps.store.pruneAudit(deps.now().getTime() - retention);
  }
}

async function readAll(deps: ReconcileDeps, mode: ReadMode, signal?: AbortSignal): Promise<Reads> {
  const [snapshot, state] = await Promise.all([
    readSnapshot(deps.source, mode, signal),
    readTargetState(deps.target, signal),
  ]);
  return { snapshot, ...state };
}

const noReads = { idpUsers: 0, idpGroups: 0, teams: 0, litellmUsers: 0 };

/** An incomplete read is never a success, even if every creation it allowed went through. */
export function statusOf(
  snapshot: { complete: boolean },
  result: { readonly failures: readonly unknown[] },
): RunStatus {
  if (!snapshot.complete) {
    return 'incomplete';
  }
  return result.failures.length > 0 ? 'partial' : 'succeeded';
}

/** What the store keeps of a report: counts and reasons, not every operation (those have rows). */
export function summarise(report: RunReport): unknown {
  const plan: Plan | undefined = report.plan;
  return {
    complete: report.complete,
    problems: report.problems,
    planned: plan?.counts ?? {},
    withheld: plan?.withheld ?? 0,
    unconfirmed: plan?.unconfirmed ?? {},
    unconfirmedGroups: plan?.unconfirmedGroups ?? {},
    quarantined: report.quarantined === true,
    warnings: plan?.warnings ?? [],
    applied: report.applied,
    keysDeleted: report.keysDeleted,
    read: report.read,
    durationMs: report.durationMs,
    sourceUsage: report.sourceUsage,
  };
}
