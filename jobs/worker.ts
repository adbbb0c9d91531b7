/**
 * The worker: one BullMQ Worker on the `idp-sync` queue and one processor that switches on the
 * job name — a thin adapter onto the reconcile engine. Several worker processes may share the
 * queue; locks in Redis keep one full reconcile per source, and deduplication one sync per user.
 * @see https://docs.bullmq.io/patterns/named-processor
 */
import { hostname } from 'node:os';

import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';

import { errorMessage } from '../src/errors.js';
import type { Logger } from '../src/log.js';
import type { ReconcileDeps } from '../src/reconcile/run-types.js';
import { postpone, type JobContext, type JobRun } from './context.js';
import { createSyncQueue, type SyncQueue } from './enqueue.js';
import {
  queueName,
  type AnyJobPayload,
  type JobName,
  type JobOutcome,
  type JobPayloads,
} from './names.js';
import { classifyThrown } from './outcome.js';
import { isJobName, parsePayload } from './payloads.js';
import { createWorkerRedis, redisErrorLogger, workerConnection } from './redis.js';
import { handleFullReconcile } from './run-full.js';
import { handleGroupResync, handleUserSync } from './run-user.js';
import type { JobSettings } from './settings.js';

/** What a worker needs; the CLI's app context provides `depsFor`. */
export type SyncWorkerDeps = {
  readonly settings: JobSettings;
  /** The configured sources (IDP_SOURCES); jobs for any other fail at once. */
  readonly sources: readonly string[];
  readonly depsFor: (source: string) => ReconcileDeps;
  readonly logger: Logger;
  /** How long a job whose lock is taken waits before trying again. @defaultValue 5000 */
  readonly busyRetryMs?: number | undefined;
  /** Shown on the jobs it processes. @defaultValue `<host>:<pid>` */
  readonly name?: string | undefined;
};

/** A running worker. */
export type SyncWorker = {
  readonly worker: Worker<AnyJobPayload, JobOutcome, string>;
  /** The same queue, for schedules and follow-up jobs. */
  readonly queue: SyncQueue;
  /**
   * Stops taking jobs and lets the running ones finish for up to `timeoutMs`; then aborts them
   * through the processor's signal, which puts each back on the queue (no attempt spent) for the
   * next worker. Closes every Redis connection. Safe to call twice.
   * @returns false if jobs were still running `graceMs` after the abort (the caller should exit anyway)
   */
  close(timeoutMs?: number, graceMs?: number): Promise<boolean>;
};

/** Starts a worker processing the queue at once. */
export function createSyncWorker(deps: SyncWorkerDeps): SyncWorker {
  const { settings, logger } = deps;
  const log = logger.child({ component: 'worker' });
  const connection = workerConnection(settings.redisUrl);
  const queue = createSyncQueue(connection, settings);
  queue.on('error', redisErrorLogger(log, 'queue'));
  const redis = createWorkerRedis(settings.redisUrl, log);
  // One set of dependencies per source for the worker's life: a source keeps its HTTP client and
  // token cache across jobs instead of signing in again for every login.
  const depsBySource = new Map<string, ReconcileDeps>();
  const depsFor = (source: string): ReconcileDeps => {
    const known = depsBySource.get(source);
    if (known !== undefined) {
      return known;
    }
    const built = deps.depsFor(source);
    depsBySource.set(source, built);
    return built;
  };
  const ctx: JobContext = {
    settings,
    redis,
    queue,
    sources: deps.sources,
    depsFor,
    logger,
    busyRetryMs: deps.busyRetryMs ?? 5000,
  };
  const worker = new Worker<AnyJobPayload, JobOutcome, string>(
    queueName,
    async (job, token, signal) => processJob(ctx, { job, token, signal }),
    {
      connection,
      prefix: settings.prefix,
      concurrency: settings.concurrency,
      name: deps.name ?? `${hostname()}:${process.pid}`,
      removeOnComplete: { count: settings.keepCompleted },
      removeOnFail: { count: settings.keepFailed },
    },
  );
  worker.on('error', redisErrorLogger(log, 'worker'));
  worker.on('completed', (job, outcome) =>
    log.info({ job: describeJob(job), status: outcome.status }, 'job completed'),
  );
  worker.on('failed', (job, error) =>
    log.warn(
      {
        job: job === undefined ? undefined : describeJob(job),
        err: error.message,
        attempts: job?.attemptsMade,
      },
      'job failed',
    ),
  );

  let closing: Promise<boolean> | undefined;
  const close = (timeoutMs = settings.shutdownTimeoutMs, graceMs = 10_000): Promise<boolean> =>
    (closing ??= (async () => {
      log.info({ timeoutMs }, 'stopping: no new jobs; letting running jobs finish');
      const abort = setTimeout(() => {
        log.warn('shutdown timeout: aborting running jobs; they go back to the queue');
        worker.cancelAllJobs('worker shutting down');
      }, timeoutMs);
      let finished = true;
      let giveUp: NodeJS.Timeout | undefined;
      await Promise.race([
        worker.close(),
        new Promise<void>(resolve => {
          giveUp = setTimeout(() => {
            finished = false;
            log.error('jobs still running after the abort; leaving them to the stalled-job check');
            resolve();
          }, timeoutMs + graceMs);
        }),
      ]);
      clearTimeout(abort);
      clearTimeout(giveUp);
      await queue.close();
      redis.disconnect();
      return finished;
    })());
  return { worker, queue, close };
}

/** The processor: checks the payload, runs the handler, and turns failures into BullMQ's terms. */
async function processJob(ctx: JobContext, run: JobRun): Promise<JobOutcome> {
  try {
    return await dispatch(ctx, run);
  } catch (error) {
    if (error instanceof DelayedError) {
      throw error;
    }
    if (run.signal?.aborted === true) {
      // Cut short by a shutdown: not a failure. The engine's operation log is the checkpoint;
      // the next run (here or on another worker) re-plans from what actually landed.
      return postpone(
        run,
        0,
        'the worker stopped before this job finished; it resumes on the next worker',
      );
    }
    throw classifyThrown(error);
  }
}

async function dispatch(ctx: JobContext, run: JobRun): Promise<JobOutcome> {
  const { job } = run;
  if (!isJobName(job.name)) {
    throw new UnrecoverableError(`unknown job ${job.name}`);
  }
  const source = (job.data as { source?: unknown }).source;
  if (typeof source !== 'string' || !ctx.sources.includes(source)) {
    throw new UnrecoverableError(
      `source ${String(source)} is not configured on this worker (IDP_SOURCES=${ctx.sources.join(',')})`,
    );
  }
  const payload = <N extends JobName>(name: N): JobPayloads[N] => {
    try {
      return parsePayload(name, job.data);
    } catch (error) {
      throw new UnrecoverableError(errorMessage(error));
    }
  };
  switch (job.name) {
    case 'sync-user': {
      const data = payload('sync-user');
      return handleUserSync(ctx, run, data.source, data.subject, 'login');
    }
    case 'full-reconcile': {
      const data = payload('full-reconcile');
      return handleFullReconcile(ctx, run, data.source, data.mode, data.trigger ?? 'manual');
    }
    case 'resync': {
      const data = payload('resync');
      switch (data.target.kind) {
        case 'user':
          return handleUserSync(ctx, run, data.source, data.target.subject, 'manual');
        case 'group':
          return handleGroupResync(ctx, run, data.source, data.target.group);
        case 'all':
          return handleFullReconcile(ctx, run, data.source, 'full', 'manual');
      }
    }
  }
}

function describeJob(job: Job<AnyJobPayload, JobOutcome, string>): {
  id?: string | undefined;
  name: string;
  data: AnyJobPayload;
} {
  return { id: job.id, name: job.name, data: job.data };
}
