/**
 * Putting work on the queue. Every job id and deduplication id is built here, and none contains
 * `:` (BullMQ's key separator). Subjects are hashed into ids, so no e-mail address ends up in
 * a Redis key name.
 * @see https://docs.bullmq.io/guide/jobs/job-ids
 * @see https://docs.bullmq.io/guide/jobs/deduplication
 */
import { createHash } from 'node:crypto';

import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';

import {
  queueName,
  type AnyJobPayload,
  type JobName,
  type JobOutcome,
  type JobPayloads,
} from './names.js';
import type { JobSettings } from './settings.js';

/** The queue, typed by what this service puts on it. */
export type SyncQueue = Queue<AnyJobPayload, JobOutcome, string>;

/** A request on the queue: the job that will serve it, and the key it was deduplicated on. */
export type Enqueued = {
  /** The job that will serve the request: a new one, or an earlier one it was folded into. */
  readonly jobId: string;
  readonly deduplicationId: string;
  /** When it was asked for (ms), to tell "folded into a waiting job" from "runs after the active one". */
  readonly requestedAt: number;
};

/**
 * Opens the `idp-sync` queue under the configured prefix, with the retry and retention policy
 * as default job options.
 */
export function createSyncQueue(connection: ConnectionOptions, settings: JobSettings): SyncQueue {
  return new Queue<AnyJobPayload, JobOutcome, string>(queueName, {
    connection,
    prefix: settings.prefix,
    defaultJobOptions: jobOptions(settings),
  });
}

/**
 * Attempts with exponential backoff and jitter for transient failures; bounded retention of
 * finished jobs (BullMQ keeps every one otherwise).
 */
export function jobOptions(settings: JobSettings): JobsOptions {
  return {
    attempts: settings.attempts,
    backoff: { type: 'exponential', delay: settings.backoffMs, jitter: 0.5 },
    removeOnComplete: { count: settings.keepCompleted },
    removeOnFail: { count: settings.keepFailed },
  };
}

/**
 * The per-user key shared by login syncs and `resync --user` of one person: source plus a hash
 * of the subject (trimmed; e-mail addresses and logins case-folded, as IdPs match them).
 */
export function userKey(source: string, subject: string): string {
  const trimmed = subject.trim();
  const normalised = trimmed.includes('@') ? trimmed.toLowerCase() : trimmed;
  return `${source}-${hash(normalised)}`;
}

/** The lock and deduplication key of a source's full reconcile in one read mode. */
export function fullKey(source: string, mode: JobPayloads['full-reconcile']['mode']): string {
  return `full-${source}-${mode}`;
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 24);
}

/**
 * Asks for a login sync of one user. A burst of logins becomes one run: the job waits out the
 * debounce window, and until it starts every further request is folded into it. A request that
 * arrives while it runs is kept (`keepLastIfActive`) and runs once more right after it, so the
 * latest login is never lost and two syncs of one user never run at once.
 * @returns the job that will do the sync (an existing one when folded in)
 * @example
 * // The login hook, once the ID token is verified (the subject is an id, never the token):
 * await enqueueUserSync(queue, { source: 'entra', subject: claims.oid }, { debounceMs: config.jobs.loginDebounceMs });
 */
export async function enqueueUserSync(
  queue: SyncQueue,
  payload: JobPayloads['sync-user'],
  options: { debounceMs: number },
): Promise<Enqueued> {
  return add(queue, 'sync-user', payload, {
    delay: options.debounceMs,
    deduplication: {
      id: `user-${userKey(payload.source, payload.subject)}`,
      keepLastIfActive: true,
    },
  });
}

/**
 * Asks for a full reconcile of one source. A request while one of the same source and mode
 * waits is folded into it; one that arrives while it runs runs once after it.
 */
export async function enqueueFullReconcile(
  queue: SyncQueue,
  payload: JobPayloads['full-reconcile'],
): Promise<Enqueued> {
  return add(queue, 'full-reconcile', payload, {
    deduplication: { id: fullKey(payload.source, payload.mode), keepLastIfActive: true },
  });
}

/**
 * Asks for a manual resync. A user resync shares the login sync's deduplication key, so it
 * never runs beside one; a login sync still waiting out its debounce window is brought forward
 * to now (`reschedule`). `--all` shares the full-mode reconcile's key.
 */
export async function enqueueResync(
  queue: SyncQueue,
  payload: JobPayloads['resync'],
): Promise<Enqueued> {
  const target = payload.target;
  const id =
    target.kind === 'user'
      ? `user-${userKey(payload.source, target.subject)}`
      : target.kind === 'group'
        ? `group-${payload.source}-${hash(target.group)}`
        : fullKey(payload.source, 'full');
  return add(queue, 'resync', payload, {
    deduplication: { id, keepLastIfActive: true, reschedule: true },
  });
}

async function add<N extends JobName>(
  queue: SyncQueue,
  name: N,
  payload: JobPayloads[N],
  opts: JobsOptions & { deduplication: { id: string } },
): Promise<Enqueued> {
  const requestedAt = Date.now();
  const job = await queue.add(name, payload, opts);
  if (job.id === undefined) {
    throw new Error(`BullMQ returned no id for the ${name} job`);
  }
  return { jobId: job.id, deduplicationId: opts.deduplication.id, requestedAt };
}
