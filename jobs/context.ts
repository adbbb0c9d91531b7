import type { Job } from 'bullmq';
import { DelayedError } from 'bullmq';
import type { Redis } from 'ioredis';

import type { Logger } from '../src/log.js';
import type { ReconcileDeps } from '../src/reconcile/run-types.js';
import type { SyncQueue } from './enqueue.js';
import { queueName, type AnyJobPayload, type JobOutcome } from './names.js';
import type { JobSettings } from './settings.js';

/** What every job handler runs on, built once per worker process. */
export type JobContext = {
  readonly settings: JobSettings;
  /** For locks: reconnects forever, like the worker's own connections. */
  readonly redis: Redis;
  /** For follow-up jobs (repairs after a full run, busy members of a group). */
  readonly queue: SyncQueue;
  /** The sources this worker can run (IDP_SOURCES). */
  readonly sources: readonly string[];
  readonly depsFor: (source: string) => ReconcileDeps;
  readonly logger: Logger;
  /** How long a job that found its lock taken waits before trying again. */
  readonly busyRetryMs: number;
};

/** One job as a handler sees it: the BullMQ job, its lock token and the abort signal. */
export type JobRun = {
  readonly job: Job<AnyJobPayload, JobOutcome, string>;
  readonly token: string | undefined;
  readonly signal: AbortSignal | undefined;
};

/** The Redis key of one of this queue's single-flight locks. */
export function lockKey(settings: JobSettings, name: string): string {
  return `${settings.prefix}:lock:${queueName}:${name}`;
}

/**
 * Puts the job back to wait `delayMs` without spending an attempt (a taken lock, a shutdown),
 * and tells BullMQ so: the handler must rethrow what this throws.
 */
export async function postpone(run: JobRun, delayMs: number, why: string): Promise<never> {
  if (run.token === undefined) {
    throw new Error(`cannot postpone job ${run.job.id ?? '?'} without its lock token`);
  }
  await run.job.log(why);
  await run.job.moveToDelayed(Date.now() + delayMs, run.token);
  throw new DelayedError(why);
}
