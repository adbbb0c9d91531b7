/**
 * `/metrics` (Prometheus text format, prom-client). Three kinds of series, by where the number
 * lives:
 *
 * - **this process** (exact): sign-ins and hook calls by route and outcome, enqueues, and the
 *   IdP and LiteLLM calls the server itself makes (discovery, tokens, JWKS, readiness probes);
 * - **the queue's event stream** (BullMQ `QueueEvents`, so every worker's jobs are seen without
 *   sharing memory): jobs by name and outcome, run duration, operations applied by kind and
 *   outcome (from each job's result), and login-to-applied latency. Counted since this server
 *   started; every replica sees every event, so aggregate with `max`, not `sum`;
 * - **read at scrape time**: queue depth per state (Redis) and seconds since the last complete
 *   snapshot per source (the store's run log).
 */
import { QueueEvents } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { SyncQueue } from '../../jobs/enqueue.js';
import { queueName, type JobOutcome } from '../../jobs/names.js';
import { redisErrorLogger, workerConnection } from '../../jobs/redis.js';
import type { JobSettings } from '../../jobs/settings.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';

/** Runs read from the store per scrape to find each source's last complete snapshot. */
const snapshotWindow = 2000;

export type ServerMetrics = ReturnType<typeof createMetrics>;

/**
 * The registry and the series this process updates.
 * @param deps.queue read at scrape time for queue depth (undefined: series left out)
 * @param deps.store read at scrape time for snapshot age
 */
export function createMetrics(deps: {
  readonly queue?: SyncQueue | undefined;
  readonly store?: Store | undefined;
  readonly sources: readonly string[];
  readonly now: () => number;
}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'idp_sync_' });
  const registers = [registry];
  const metrics = {
    registry,
    logins: new Counter({
      name: 'idp_sync_login_requests_total',
      help: 'Sign-ins and hook calls by route and outcome (redirected, accepted, unauthenticated, invalid, queue_unavailable, idp_error, ...)',
      labelNames: ['route', 'outcome'] as const,
      registers,
    }),
    enqueued: new Counter({
      name: 'idp_sync_jobs_enqueued_total',
      help: 'sync-user jobs this server put on the queue, by outcome (ok, error, retried)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    idpCalls: new Counter({
      name: 'idp_sync_idp_requests_total',
      help: 'HTTP requests this server made to the OpenID Provider, by outcome (ok, error)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    litellmCalls: new Counter({
      name: 'idp_sync_litellm_requests_total',
      help: 'Requests this server made to LiteLLM (readiness probes), by outcome (ok, error)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    jobs: new Counter({
      name: 'idp_sync_jobs_total',
      help: 'Finished jobs (any worker) by name and outcome: the run status, or failed',
      labelNames: ['name', 'outcome'] as const,
      registers,
    }),
    jobDuration: new Histogram({
      name: 'idp_sync_job_duration_seconds',
      help: 'Time from a job starting to finishing (any worker), by name',
      labelNames: ['name'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    }),
    operations: new Counter({
      name: 'idp_sync_operations_total',
      help: 'LiteLLM operations applied by finished jobs, by kind and outcome (ok, failed)',
      labelNames: ['kind', 'outcome'] as const,
      registers,
    }),
    loginToApplied: new Histogram({
      name: 'idp_sync_login_to_applied_seconds',
      help: 'From a login sync being requested to its job finishing successfully',
      buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 300],
      registers,
    }),
  };
  new Gauge({
    name: 'idp_sync_queue_jobs',
    help: 'Jobs on the queue by state, read from Redis at scrape time',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      if (deps.queue === undefined) {
        return;
      }
      const counts = await deps.queue
        .getJobCounts('waiting', 'delayed', 'prioritized', 'active', 'failed', 'completed')
        .catch(() => undefined);
      this.reset();
      for (const [state, n] of Object.entries(counts ?? {})) {
        this.set({ state }, n);
      }
    },
  });
  new Gauge({
    name: 'idp_sync_snapshot_age_seconds',
    help: "Seconds since each source's last complete IdP snapshot (a full run that read everything), read from the store at scrape time",
    labelNames: ['source'] as const,
    registers,
    collect() {
      if (deps.store === undefined) {
        return;
      }
      this.reset();
      for (const [source, finishedAt] of lastCompleteSnapshots(deps.store, deps.sources)) {
        this.set({ source }, Math.max(0, (deps.now() - finishedAt) / 1000));
      }
    },
  });
  return metrics;
}

/** Source → when its latest complete, applied full run finished (ms). */
function lastCompleteSnapshots(store: Store, sources: readonly string[]): Map<string, number> {
  const found = new Map<string, number>();
  for (const run of store.recentRuns(snapshotWindow)) {
    const complete = (run.summary as { complete?: unknown } | null)?.complete === true;
    if (
      run.kind === 'full' &&
      !run.dryRun &&
      complete &&
      run.finishedAt !== null &&
      !found.has(run.source)
    ) {
      found.set(run.source, Date.parse(run.finishedAt));
    }
    if (found.size === sources.length) {
      break;
    }
  }
  return found;
}

/**
 * Counts every finished job from the queue's event stream. Returns the listener, to close.
 */
export function watchJobs(
  metrics: ServerMetrics,
  queue: SyncQueue,
  settings: JobSettings,
  logger: Logger,
): QueueEvents {
  const events = new QueueEvents(queueName, {
    connection: workerConnection(settings.redisUrl),
    prefix: settings.prefix,
  });
  events.on('error', redisErrorLogger(logger, 'queue-events'));
  const record = async (
    jobId: string,
    outcome: JobOutcome | 'completed' | 'failed',
  ): Promise<void> => {
    const job = await queue.getJob(jobId);
    if (job === undefined) {
      return;
    }
    metrics.jobs.inc({
      name: job.name,
      outcome: typeof outcome === 'string' ? outcome : outcome.status,
    });
    if (typeof outcome === 'string') {
      return;
    }
    if (job.processedOn !== undefined && job.finishedOn !== undefined) {
      metrics.jobDuration.observe({ name: job.name }, (job.finishedOn - job.processedOn) / 1000);
    }
    for (const [kind, counts] of Object.entries(outcome.applied)) {
      metrics.operations.inc({ kind, outcome: 'ok' }, counts.ok);
      metrics.operations.inc({ kind, outcome: 'failed' }, counts.failed);
    }
    if (job.name === 'sync-user' && job.finishedOn !== undefined) {
      metrics.loginToApplied.observe((job.finishedOn - job.timestamp) / 1000);
    }
  };
  const safely = (jobId: string, outcome: JobOutcome | 'completed' | 'failed'): void => {
    record(jobId, outcome).catch((error: unknown) =>
      logger.debug({ jobId, err: String(error) }, 'could not read a finished job for metrics'),
    );
  };
  events.on('completed', ({ jobId, returnvalue }) =>
    safely(jobId, parseOutcome(returnvalue) ?? 'completed'),
  );
  events.on('failed', ({ jobId }) => safely(jobId, 'failed'));
  return events;
}

/** QueueEvents hands over the return value as stored: JSON text, or already parsed. */
function parseOutcome(value: unknown): JobOutcome | undefined {
  try {
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    return typeof parsed === 'object' && parsed !== null && 'status' in parsed
      ? (parsed as JobOutcome)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A fetch that counts each call's outcome (a response under 500 is `ok`). */
export function countingFetch(inner: typeof fetch, counter: Counter<'outcome'>): typeof fetch {
  return async (input, init) => {
    try {
      const response = await inner(input, init);
      counter.inc({ outcome: response.status < 500 ? 'ok' : 'error' });
      return response;
    } catch (error) {
      counter.inc({ outcome: 'error' });
      throw error;
    }
  };
}
