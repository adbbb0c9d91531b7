/** What `idp-sync status` shows about the queue: depth, running and failed jobs, next runs. */
import type { SyncQueue } from './enqueue.js';
import type { AnyJobPayload } from './names.js';
import { listSchedules, type Schedule } from './schedule.js';

/** A job as status lists it. Payloads are identifiers only, so they are safe to print. */
export type JobSummary = {
  readonly id: string;
  readonly name: string;
  readonly data: AnyJobPayload;
  /** ISO time it started (active) or failed (failed). */
  readonly at: string | undefined;
  readonly attempts: number;
  readonly reason?: string | undefined;
};

export type QueueStatus = {
  /** Jobs waiting to run: waiting, prioritized and delayed (debounce, backoff, a taken lock). */
  readonly depth: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly active: readonly JobSummary[];
  /** The most recent failures (finished for good: retries exhausted or unrecoverable). */
  readonly failed: readonly JobSummary[];
  readonly schedules: readonly Schedule[];
};

/** Reads the queue's state; a handful of Redis calls. */
export async function readQueueStatus(
  queue: SyncQueue,
  options: { failedLimit?: number; activeLimit?: number } = {},
): Promise<QueueStatus> {
  const counts = await queue.getJobCounts(
    'waiting',
    'delayed',
    'prioritized',
    'active',
    'failed',
    'completed',
  );
  const [active, failed, schedules] = await Promise.all([
    queue.getJobs(['active'], 0, (options.activeLimit ?? 10) - 1),
    queue.getJobs(['failed'], 0, (options.failedLimit ?? 5) - 1, false),
    listSchedules(queue),
  ]);
  const depth = (counts['waiting'] ?? 0) + (counts['delayed'] ?? 0) + (counts['prioritized'] ?? 0);
  return {
    depth,
    counts,
    active: active
      .filter(job => job !== undefined)
      .map(job => ({
        id: job.id ?? '?',
        name: job.name,
        data: job.data,
        at: iso(job.processedOn),
        attempts: job.attemptsMade,
      })),
    failed: failed
      .filter(job => job !== undefined)
      .map(job => ({
        id: job.id ?? '?',
        name: job.name,
        data: job.data,
        at: iso(job.finishedOn),
        attempts: job.attemptsMade,
        reason: job.failedReason,
      })),
    schedules,
  };
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
