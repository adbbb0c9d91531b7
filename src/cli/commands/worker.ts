import { queueName } from '../../../jobs/names.js';
import { redactRedisUrl } from '../../../jobs/redis.js';
import { upsertSchedules, type Schedule } from '../../../jobs/schedule.js';
import { createSyncWorker, type SyncWorker } from '../../../jobs/worker.js';
import type { AppContext } from '../context.js';
import type { Output } from '../output.js';

export type WorkerCommandOptions = {
  /**
   * Resolves (with its name) when the worker should stop. Defaults to the first SIGTERM or
   * SIGINT; a second one aborts the running jobs at once instead of waiting.
   */
  readonly stop?: Promise<string>;
  /** Passed to the worker (tests shorten it). */
  readonly busyRetryMs?: number;
};

/**
 * `worker`: processes the queue until told to stop. Registers the schedules at start (idempotent,
 * so every worker may do it), then on SIGTERM/SIGINT stops taking jobs, gives running ones
 * SHUTDOWN_TIMEOUT_MS to finish, aborts what is left (it goes back to the queue), closes Redis.
 * The caller closes the store. Losing Redis does not stop it: it reconnects and carries on.
 * @returns 0 after a clean stop; 1 if jobs would not end even after the abort
 */
export async function runWorker(
  app: AppContext,
  out: Output,
  options: WorkerCommandOptions = {},
): Promise<number> {
  const { config, logger } = app;
  const settings = config.jobs;
  const sources = config.sources.map(s => s.name);
  const signals = options.stop === undefined ? listenForSignals() : undefined;
  const worker = createSyncWorker({
    settings,
    sources,
    depsFor: source => app.depsFor(source),
    logger,
    busyRetryMs: options.busyRetryMs,
  });
  try {
    let schedules: Schedule[];
    try {
      schedules = await upsertSchedules(worker.queue, settings, sources);
    } catch (error) {
      await worker.close(0, 1000);
      throw error;
    }
    out.line(
      `idp-sync worker: queue ${queueName} (prefix ${settings.prefix}) on ${redactRedisUrl(settings.redisUrl)}, ${settings.concurrency} job(s) at once, sources ${sources.join(', ')}`,
    );
    out.line(
      schedules.length === 0
        ? '  no schedules (SYNC_CRON and FULL_SYNC_CRON are off)'
        : schedules.map(describeSchedule).join('\n'),
    );
    out.line('idp-sync worker ready');
    const why = await (options.stop ?? signals?.first ?? new Promise<string>(() => undefined));
    out.line(
      `idp-sync worker: ${why}; finishing running jobs (up to ${settings.shutdownTimeoutMs} ms)`,
    );
    void signals?.second.then(name => {
      out.line(`idp-sync worker: ${name} again; aborting running jobs now`);
      worker.worker.cancelAllJobs('stopped twice');
    });
    const clean = await worker.close(settings.shutdownTimeoutMs);
    out.line(
      clean
        ? 'idp-sync worker stopped'
        : 'idp-sync worker stopped with jobs still running; the stalled-job check will hand them to another worker',
    );
    return clean ? 0 : 1;
  } finally {
    signals?.dispose();
    await closeQuietly(worker);
  }
}

function describeSchedule(schedule: Schedule): string {
  const next = schedule.next === undefined ? '' : `, next ${new Date(schedule.next).toISOString()}`;
  return `  schedule ${schedule.id}: ${schedule.pattern} (${schedule.mode === 'delta' ? 'incremental where supported' : 'full read'}${next})`;
}

async function closeQuietly(worker: SyncWorker): Promise<void> {
  await worker.close(0, 1000).catch(() => undefined);
}

/** The first and the second SIGTERM/SIGINT, by name. */
function listenForSignals(): { first: Promise<string>; second: Promise<string>; dispose(): void } {
  let count = 0;
  let resolveFirst: (name: string) => void = () => undefined;
  let resolveSecond: (name: string) => void = () => undefined;
  const first = new Promise<string>(resolve => (resolveFirst = resolve));
  const second = new Promise<string>(resolve => (resolveSecond = resolve));
  const onSignal = (name: NodeJS.Signals): void => {
    count += 1;
    (count === 1 ? resolveFirst : resolveSecond)(name);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    first,
    second,
    dispose: () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}
