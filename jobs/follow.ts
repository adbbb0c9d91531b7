/**
 * `resync --wait`: follows a request to its end. A request folded into a job that was already
 * running is served by the follow-up job BullMQ creates when that one finishes
 * (`keepLastIfActive`), so that is the one to wait for.
 */
import type { Enqueued, SyncQueue } from './enqueue.js';
import type { JobOutcome } from './names.js';

/** How a followed request ended. */
export type Followed =
  | { readonly state: 'completed'; readonly jobId: string; readonly outcome: JobOutcome }
  | {
      readonly state: 'failed';
      readonly jobId: string;
      readonly reason: string;
      readonly attempts: number;
    }
  | { readonly state: 'missing'; readonly jobId: string };

/** Polls the queue until the job serving `request` completed or failed for good. */
export async function followJob(
  queue: SyncQueue,
  request: Enqueued,
  options: { pollMs?: number; signal?: AbortSignal } = {},
): Promise<Followed> {
  const pollMs = options.pollMs ?? 250;
  let jobId = request.jobId;
  for (;;) {
    options.signal?.throwIfAborted();
    // State first, then the job: read the other way round, a job that finishes in between
    // would show its final state with the fields it had while running.
    const state = await queue.getJobState(jobId);
    if (state === 'unknown') {
      return { state: 'missing', jobId };
    }
    if (state === 'completed' || state === 'failed') {
      const job = await queue.getJob(jobId);
      if (job === undefined) {
        return { state: 'missing', jobId };
      }
      // Started before we asked: our request was kept for the run after it.
      const next =
        job.processedOn !== undefined && job.processedOn < request.requestedAt
          ? await successor(queue, request, jobId)
          : undefined;
      if (next !== undefined) {
        jobId = next;
        continue;
      }
      return state === 'completed'
        ? { state, jobId, outcome: job.returnvalue }
        : { state, jobId, reason: job.failedReason, attempts: job.attemptsMade };
    }
    await new Promise(resolve => setTimeout(resolve, pollMs));
  }
}

/** The job BullMQ created for the same deduplication id after `previous` finished, if any. */
async function successor(
  queue: SyncQueue,
  request: Enqueued,
  previous: string,
): Promise<string | undefined> {
  const current = await queue.getDeduplicationJobId(request.deduplicationId);
  if (current !== null && current !== previous) {
    return current;
  }
  // It may already have finished and let go of the key: look among the recent jobs.
  const recent = await queue.getJobs(
    ['active', 'waiting', 'delayed', 'prioritized', 'completed', 'failed'],
    0,
    99,
  );
  return recent.find(
    job =>
      job !== undefined &&
      job.id !== previous &&
      job.deduplicationId === request.deduplicationId &&
      job.timestamp >= request.requestedAt,
  )?.id;
}
